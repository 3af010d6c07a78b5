/* testutil.h — shared includes for the cmocka unit tests. */
#ifndef PHAEN_TESTUTIL_H
#define PHAEN_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#endif
