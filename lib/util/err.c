/* Names, messages and HTTP statuses of kouan_err, generated from err.def. */
#include "kouan/err.h"

#include <stddef.h>

struct err_info {
    const char *name;
    const char *msg;
    int http;
};

static const struct err_info infos[] = {
#define X(name, value, lname, msg, http) [value] = {lname, msg, http},
#include "kouan/err.def"
#undef X
};

static const struct err_info *info(kouan_err err)
{
    if ((unsigned)err >= sizeof infos / sizeof infos[0] || !infos[err].name)
        return NULL;
    return &infos[err];
}

const char *kouan_strerror(kouan_err err)
{
    const struct err_info *i = info(err);
    return i ? i->msg : "unknown error";
}

const char *kouan_err_name(kouan_err err)
{
    const struct err_info *i = info(err);
    return i ? i->name : "unknown";
}

int kouan_err_http_status(kouan_err err)
{
    const struct err_info *i = info(err);
    return i ? i->http : 500;
}
