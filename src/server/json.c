/* Strict checking of JSON request bodies: an object with only known fields,
 * each of the right type and size, required ones present. The first problem
 * is answered as 400 naming the field. */
#include "server.h"

#include <stdio.h>
#include <string.h>

static const char *type_name(jf_type t)
{
    switch (t) {
    case JF_STRING:
        return "a string";
    case JF_INT:
        return "an integer";
    case JF_BOOL:
        return "true or false";
    case JF_ARRAY:
        return "an array";
    default:
        return "an object";
    }
}

int srv_json_check(req *r, const jfield *fields, size_t n)
{
    const char *key;
    json_t *v;
    char msg[200];
    json_object_foreach(r->json, key, v)
    {
        size_t i;
        for (i = 0; i < n; i++)
            if (!strcmp(fields[i].name, key))
                break;
        if (i == n) {
            snprintf(msg, sizeof msg, "unknown field \"%.64s\"", key);
            srv_error(r, 400, "invalid", msg, key);
            return -1;
        }
        const jfield *f = &fields[i];
        int ok = f->type == JF_STRING    ? json_is_string(v)
                 : f->type == JF_INT     ? json_is_integer(v)
                 : f->type == JF_BOOL    ? json_is_boolean(v)
                 : f->type == JF_ARRAY   ? json_is_array(v)
                                         : json_is_object(v);
        if (!ok) {
            snprintf(msg, sizeof msg, "\"%s\" must be %s", f->name, type_name(f->type));
            srv_error(r, 400, "invalid", msg, f->name);
            return -1;
        }
        if (f->type == JF_ARRAY && json_array_size(v) > (f->max_len ? f->max_len : 100)) {
            snprintf(msg, sizeof msg, "\"%s\" has more than %zu elements", f->name,
                     f->max_len ? f->max_len : 100);
            srv_error(r, 400, "invalid", msg, f->name);
            return -1;
        }
        if (f->type == JF_STRING) {
            size_t max = f->max_len ? f->max_len : 4096;
            size_t len = json_string_length(v);
            if (len > max) {
                snprintf(msg, sizeof msg, "\"%s\" is longer than %zu bytes", f->name, max);
                srv_error(r, 400, "invalid", msg, f->name);
                return -1;
            }
            if (strlen(json_string_value(v)) != len) {
                snprintf(msg, sizeof msg, "\"%s\" contains a NUL character", f->name);
                srv_error(r, 400, "invalid", msg, f->name);
                return -1;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (fields[i].required && !json_object_get(r->json, fields[i].name)) {
            snprintf(msg, sizeof msg, "\"%s\" is required", fields[i].name);
            srv_error(r, 400, "invalid", msg, fields[i].name);
            return -1;
        }
    }
    return 0;
}

const char *srv_json_str(req *r, const char *name)
{
    return json_string_value(json_object_get(r->json, name));
}
