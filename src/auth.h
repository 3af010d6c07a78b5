/*
** auth.h — passwords (Argon2id through libsodium's crypto_pwhash_str),
** random tokens (256-bit, hex), and SHA-256 of tokens for storage: the
** store keeps only the hash of a session token, never the token.
*/
#ifndef PHAEN_AUTH_H
#define PHAEN_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#define AUTH_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define AUTH_TOKEN_HEX 65 /* 32 random bytes as hex + NUL */

/* Initialise libsodium once (safe to call often). Panics if it cannot. */
void auth_init(void);

/* Argon2id hash of a password into out; 0 or -1 (out of memory). */
int auth_hash_password(const char *password, char out[AUTH_HASH_MAX]);
bool auth_check_password(const char *hash, const char *password);

/* 32 random bytes as 64 hex characters. */
void auth_token(char out[AUTH_TOKEN_HEX]);
/* SHA-256 of s as 64 hex characters. */
void auth_sha256_hex(const char *s, char out[AUTH_TOKEN_HEX]);
/* Constant-time comparison of two NUL-terminated strings. */
bool auth_equal(const char *a, const char *b);

/* A random password a person can type (16 characters). */
void auth_random_password(char out[17]);

#endif
