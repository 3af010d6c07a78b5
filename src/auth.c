/*
** auth.c — see auth.h. All cryptography is libsodium's.
*/
#include "auth.h"

#include <sodium.h>
#include <string.h>

#include "util.h"

void auth_init(void)
{
    if (sodium_init() < 0)
        panic("libsodium cannot initialise");
}

int auth_hash_password(const char *password, char out[AUTH_HASH_MAX])
{
    auth_init();
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? 0
               : -1;
}

bool auth_check_password(const char *hash, const char *password)
{
    auth_init();
    if (!hash || !*hash || !password)
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void auth_token(char out[AUTH_TOKEN_HEX])
{
    unsigned char raw[32];
    auth_init();
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, AUTH_TOKEN_HEX, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
}

void auth_sha256_hex(const char *s, char out[AUTH_TOKEN_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    auth_init();
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, AUTH_TOKEN_HEX, h, sizeof h);
}

bool auth_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return false;
    return sodium_memcmp(a, b, n) == 0;
}

void auth_random_password(char out[17])
{
    /* no look-alikes (0/O, 1/l/I) */
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    auth_init();
    for (int i = 0; i < 16; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[16] = 0;
}
