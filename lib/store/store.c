/* The public store interface: picks a backend by location and forwards every
 * operation through the backend's table (store_internal.h). */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>

kouan_err kouan_store_open(const char *location, kouan_store **out, char *errbuf,
                           size_t errcap)
{
    *out = NULL;
    if (errbuf && errcap)
        errbuf[0] = '\0';
    if (!location || !*location) {
        if (errbuf)
            snprintf(errbuf, errcap, "no database location given");
        return KOUAN_ERR_INVALID;
    }
    if (!strncmp(location, "postgresql://", 13) || !strncmp(location, "postgres://", 11)) {
        if (errbuf)
            snprintf(errbuf, errcap, "the PostgreSQL store is not part of this build");
        return KOUAN_ERR_UNSUPPORTED;
    }
    return kouan__store_sqlite_open(location, out, errbuf, errcap);
}

void kouan_store_close(kouan_store *s)
{
    if (s)
        s->ops->close(s);
}

const char *kouan_store_errmsg(kouan_store *s)
{
    return s ? s->ops->errmsg(s) : "no store";
}

int kouan_store_schema_version(kouan_store *s)
{
    return s->ops->schema_version(s);
}

int kouan_store_schema_latest(void)
{
    return kouan__store_sqlite_latest();
}

#define X(name, params, args)                                                                \
    kouan_err kouan_store_##name params                                                     \
    {                                                                                        \
        return s->ops->name args;                                                            \
    }
KOUAN_STORE_OPS(X)
#undef X

static const char *const role_names[] = {"none", "officer", "supervisor", "analyst", "admin",
                                           "carrier"};

const char *kouan_role_name(kouan_role r)
{
    if ((unsigned)r >= sizeof role_names / sizeof role_names[0])
        return "none";
    return role_names[r];
}

kouan_role kouan_role_from_name(const char *s)
{
    if (!s)
        return KOUAN_ROLE_NONE;
    for (size_t i = 1; i < sizeof role_names / sizeof role_names[0]; i++)
        if (!strcmp(s, role_names[i]))
            return (kouan_role)i;
    return KOUAN_ROLE_NONE;
}

kouan_err kouan_store_copy(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= cap) {
        dst[0] = '\0';
        return KOUAN_ERR_TOO_LARGE;
    }
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
    return KOUAN_OK;
}
