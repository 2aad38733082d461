/* The route table: one row per endpoint, read by the router and by the
 * OpenAPI generator, so the published document cannot drift from what is
 * served. A pattern segment "{name}" captures one path segment (the last, in a
 * route marked RF_ID_PATH, as many as an entity id holds). */
#include "server.h"

#include <stdio.h>
#include <string.h>

#define ERR_REF "{\"$ref\":\"#/components/schemas/Error\"}"
#define OBJ "{\"type\":\"object\"}"
#define STR "{\"type\":\"string\"}"

#define S_INSPECTION_REQ                                                                   \
    "{\"type\":\"object\",\"required\":[\"mrz\",\"port\",\"direction\"],"                  \
    "\"additionalProperties\":false,\"properties\":{"                                      \
    "\"mrz\":{\"type\":\"string\",\"description\":\"MRZ lines joined by a newline or |\"}," \
    "\"port\":" STR ",\"direction\":{\"enum\":[\"entry\",\"exit\"]},"                   \
    "\"chip\":{\"type\":\"object\",\"description\":\"chip files, base64: sod, dg1..dg16\"}}}"
#define S_INSPECTION                                                                       \
    "{\"type\":\"object\",\"properties\":{\"id\":" STR ",\"document\":" OBJ                 \
    ",\"traveller\":" OBJ ",\"checks\":{\"type\":\"array\",\"items\":{\"type\":\"object\"," \
    "\"properties\":{\"name\":" STR ",\"status\":{\"enum\":[\"pass\",\"warn\",\"fail\"]},"  \
    "\"reason\":" STR "}}},\"hits\":{\"type\":\"array\"},"                                 \
    "\"arrivals\":{\"type\":\"array\",\"description\":\"flights arriving with the traveller"  \
    " on their manifest\"},\"decision\":{\"enum\":[\"clear\",\"refer\"]}}}"
#define S_CROSSING_REQ                                                                     \
    "{\"type\":\"object\",\"required\":[\"inspection_id\",\"decision\"],"                  \
    "\"additionalProperties\":false,\"properties\":{\"inspection_id\":" STR               \
    ",\"decision\":{\"enum\":[\"admitted\",\"refused\",\"referred\"]}}}"
#define S_ID "{\"type\":\"object\",\"properties\":{\"id\":" STR "}}"
#define S_DECISION_REQ                                                                     \
    "{\"type\":\"object\",\"required\":[\"decision\"],\"additionalProperties\":false,"     \
    "\"properties\":{\"decision\":{\"enum\":[\"admitted\",\"refused\"]},\"note\":" STR       \
    ",\"cleared\":{\"type\":\"array\",\"maxItems\":10,\"items\":{\"type\":\"object\","        \
    "\"required\":[\"list\",\"entity_id\"],\"additionalProperties\":false,"                   \
    "\"properties\":{\"list\":" STR ",\"entity_id\":" STR "}}}}}"
#define S_LOGIN_REQ                                                                        \
    "{\"type\":\"object\",\"required\":[\"username\",\"password\"],"                       \
    "\"additionalProperties\":false,\"properties\":{\"username\":" STR                     \
    ",\"password\":" STR "}}"
#define S_USER_REQ                                                                         \
    "{\"type\":\"object\",\"required\":[\"username\",\"password\",\"role\"],"              \
    "\"additionalProperties\":false,\"properties\":{\"username\":" STR                     \
    ",\"password\":" STR ",\"role\":{\"enum\":[\"officer\",\"supervisor\",\"analyst\","    \
    "\"admin\",\"carrier\"]}}}"
#define S_PASSWORD_REQ                                                                     \
    "{\"type\":\"object\",\"required\":[\"password\"],\"additionalProperties\":false,"     \
    "\"properties\":{\"password\":" STR "}}"
#define S_DISABLE_REQ                                                                      \
    "{\"type\":\"object\",\"additionalProperties\":false,"                                 \
    "\"properties\":{\"disabled\":{\"type\":\"boolean\"}}}"
#define S_RETIRE_REQ                                                                       \
    "{\"type\":\"object\",\"required\":[\"reason\"],\"additionalProperties\":false,"       \
    "\"properties\":{\"reason\":" STR "}}"
#define S_PORT_REQ                                                                         \
    "{\"type\":\"object\",\"required\":[\"code\",\"name\"],\"additionalProperties\":false," \
    "\"properties\":{\"code\":" STR ",\"name\":" STR "}}"
#define BIN "{\"type\":\"string\",\"format\":\"binary\"}"
#define UPLOAD_PARTS                                                                       \
    "{\"type\":\"object\",\"additionalProperties\":false,\"description\":\"the list file in " \
    "part sdn (or file); an OFAC SDN list's side files, each up to 64 MiB, in parts alt "  \
    "(alt.csv), add (add.csv) and comments (sdn_comments.csv)\",\"properties\":{\"sdn\":" BIN \
    ",\"file\":" BIN ",\"alt\":" BIN ",\"add\":" BIN ",\"comments\":" BIN "}}"

const route srv_routes[] = {
    {"GET", "/healthz", KOUAN_PERM_PUBLIC, h_health, 0, "check the service is up", NULL, OBJ, 200},
    {"GET", "/metrics", KOUAN_PERM_PUBLIC, h_metrics, 0, "read Prometheus metrics", NULL, NULL, 200},
    {"GET", "/api/v1/openapi.json", KOUAN_PERM_PUBLIC, h_openapi, 0, "read this API's description", NULL, OBJ, 200},
    {"POST", "/api/v1/login", KOUAN_PERM_PUBLIC, h_login, RF_JSON_BODY, "log in", S_LOGIN_REQ,
     "{\"type\":\"object\",\"properties\":{\"token\":" STR ",\"expires\":" STR ",\"role\":" STR "}}", 200},
    {"GET", "/api/v1/me", KOUAN_PERM_AUTHENTICATED, h_me, 0, "read the caller's account", NULL, OBJ, 200},
    {"POST", "/api/v1/logout", KOUAN_PERM_AUTHENTICATED, h_logout, RF_JSON_BODY,
     "log out (revoke this token)", "{\"type\":\"object\",\"additionalProperties\":false}", OBJ, 200},
    {"POST", "/api/v1/inspections", KOUAN_PERM_INSPECT, h_inspection_create, RF_JSON_BODY,
     "inspect a travel document", S_INSPECTION_REQ, S_INSPECTION, 200},
    {"GET", "/api/v1/inspections/{id}", KOUAN_PERM_READ_TRAVELLERS, h_inspection_get, 0,
     "read an inspection", NULL, S_INSPECTION, 200},
    {"POST", "/api/v1/crossings", KOUAN_PERM_RECORD, h_crossing_create, RF_JSON_BODY,
     "record a crossing", S_CROSSING_REQ, S_ID, 201},
    {"GET", "/api/v1/crossings", KOUAN_PERM_READ_CROSSINGS, h_crossing_list, 0,
     "list crossings", NULL,
     "{\"type\":\"object\",\"properties\":{\"crossings\":{\"type\":\"array\"},\"next\":{\"type\":[\"string\",\"null\"]}}}", 200},
    {"GET", "/api/v1/travellers/{id}", KOUAN_PERM_READ_TRAVELLERS, h_traveller_get, 0,
     "read a traveller", NULL, OBJ, 200},
    {"GET", "/api/v1/referrals", KOUAN_PERM_REFERRALS, h_referral_list, 0, "list referrals",
     NULL, OBJ, 200},
    {"GET", "/api/v1/referrals/{id}", KOUAN_PERM_REFERRALS, h_referral_get, 0,
     "read a referral", NULL, OBJ, 200},
    {"POST", "/api/v1/referrals/{id}/decision", KOUAN_PERM_REFERRALS, h_referral_decide,
     RF_JSON_BODY, "decide a referral", S_DECISION_REQ, S_ID, 201},
    {"POST", "/api/v1/clearances/{id}/revoke", KOUAN_PERM_REFERRALS, h_clearance_revoke, 0,
     "revoke a cleared match", NULL, OBJ, 200},
    {"GET", "/api/v1/watchlists", KOUAN_PERM_READ_WATCHLISTS, h_watchlist_list, 0,
     "list watchlists", NULL, OBJ, 200},
    {"GET", "/api/v1/watchlists/search", KOUAN_PERM_READ_WATCHLISTS, h_watchlist_search, 0,
     "search the loaded watchlists", NULL,
     "{\"type\":\"object\",\"properties\":{\"hits\":{\"type\":\"array\"}}}", 200},
    {"POST", "/api/v1/watchlists/{name}", KOUAN_PERM_WRITE_WATCHLISTS, h_watchlist_upload,
     RF_UPLOAD, "import a watchlist", NULL, OBJ, 200},
    {"POST", "/api/v1/watchlists/{name}/entries", KOUAN_PERM_WRITE_WATCHLISTS,
     h_watchlist_entry_add, RF_JSON_BODY,
     "add a person to a national list (csv layout; a new list when none has this name): the list's next version, with its delta, and arrivals screened again",
     NULL, OBJ, 201},
    {"POST", "/api/v1/watchlists/{name}/entries/{id}/remove", KOUAN_PERM_WRITE_WATCHLISTS,
     h_watchlist_entry_remove, RF_ID_PATH,
     "remove a person from a national list: the list's next version, with its delta",
     NULL, OBJ, 200},
    {"POST", "/api/v1/watchlists/{name}/retire", KOUAN_PERM_WRITE_WATCHLISTS,
     h_watchlist_retire, RF_JSON_BODY,
     "retire a list from screening (kept for the record; an upload of the same name brings it back): arriving flights' hits on it withdrawn",
     S_RETIRE_REQ, OBJ, 200},
    {"GET", "/api/v1/watchlists/{name}/entries/{id}", KOUAN_PERM_READ_ENTRIES, h_watchlist_entry,
     RF_ID_PATH, "read a listed entity as the loaded list holds it: every name, date of birth, nationality and document (the entity a hit names)",
     NULL, OBJ, 200},
    {"GET", "/api/v1/watchlists/{name}/delta", KOUAN_PERM_WRITE_WATCHLISTS, h_watchlist_delta,
     0, "read a watchlist's last update", NULL, OBJ, 200},
    {"GET", "/api/v1/users", KOUAN_PERM_USERS, h_user_list, 0, "list users", NULL, OBJ, 200},
    {"POST", "/api/v1/users", KOUAN_PERM_USERS, h_user_create, RF_JSON_BODY, "create a user",
     S_USER_REQ, S_ID, 201},
    {"POST", "/api/v1/users/{username}/disable", KOUAN_PERM_USERS, h_user_disable,
     RF_JSON_BODY, "disable or enable a user", S_DISABLE_REQ, OBJ, 200},
    {"POST", "/api/v1/users/{username}/password", KOUAN_PERM_USERS, h_user_password,
     RF_JSON_BODY, "reset a user's password", S_PASSWORD_REQ, OBJ, 200},
    {"GET", "/api/v1/ports", KOUAN_PERM_AUTHENTICATED, h_port_list, 0, "list ports", NULL,
     OBJ, 200},
    {"POST", "/api/v1/ports", KOUAN_PERM_PORTS, h_port_create, RF_JSON_BODY, "create a port",
     S_PORT_REQ, OBJ, 201},
    {"GET", "/api/v1/stats/crossings", KOUAN_PERM_STATS, h_stats_crossings, 0,
     "read crossing statistics", NULL,
     "{\"type\":\"object\",\"properties\":{\"groups\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"key\":" STR
     ",\"entries\":{\"type\":\"integer\"},\"exits\":{\"type\":\"integer\"},\"refused\":{\"type\":\"integer\"},\"referred\":{\"type\":\"integer\"}}}}}}", 200},
    {"GET", "/api/v1/audit/verify", KOUAN_PERM_AUDIT, h_audit_verify, 0,
     "verify the audit log", NULL, OBJ, 200},
    {"POST", "/api/v1/messages", KOUAN_PERM_SEND_MESSAGES, h_message_create, RF_RAW_BODY, "send airline passenger data (PAXLST or PNRGOV EDIFACT, up to 16 MiB, as text/plain, application/edifact or application/octet-stream)", NULL, "{\"type\":\"object\",\"properties\":{\"id\":" STR ",\"status\":" STR ",\"type\":" STR ",\"persons\":{\"type\":\"integer\"},\"duplicate\":{\"type\":\"boolean\"}}}", 202},
    {"GET", "/api/v1/messages/{id}", KOUAN_PERM_FLIGHTS, h_message_get, 0, "read an airline message's status, diagnostics and flights", NULL, OBJ, 200},
    {"GET", "/api/v1/flights", KOUAN_PERM_FLIGHTS, h_flight_list, 0, "list flights arriving on a date (?date=YYYY-MM-DD) with passenger and alert counts", NULL, "{\"type\":\"object\",\"properties\":{\"date\":" STR ",\"flights\":{\"type\":\"array\"}}}", 200},
    {"GET", "/api/v1/flights/{id}", KOUAN_PERM_FLIGHTS, h_flight_get, 0, "read a flight's manifest in force with its hits and its lists (?history=1 adds the superseded persons)", NULL, OBJ, 200},
};
const size_t srv_n_routes = sizeof srv_routes / sizeof srv_routes[0];

/* Match path against pattern, capturing {params} (the last one, with
 * RF_ID_PATH, up to the pattern's literal rest at the path's end). */
static int match(const char *pattern, unsigned flags, const char *path, req *r)
{
    const char *p = pattern, *s = path;
    int np = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            const char *se = strchr(s, '/');
            size_t n = se ? (size_t)(se - s) : strlen(s);
            if ((flags & RF_ID_PATH) && pe && !strchr(pe, '{')) {
                size_t rest = strlen(pe + 1), left = strlen(s);
                if (left < rest || strcmp(s + left - rest, pe + 1) != 0)
                    return 0;
                n = left - rest;
            }
            if (!pe || n == 0 || np >= SRV_MAX_PARAMS || n >= sizeof r->params[0])
                return 0;
            if (r) {
                memcpy(r->params[np], s, n);
                r->params[np][n] = '\0';
            }
            np++;
            p = pe + 1;
            s += n;
            continue;
        }
        if (*p != *s)
            return 0;
        p++;
        s++;
    }
    if (*p || *s)
        return 0;
    if (r)
        r->n_params = np;
    return 1;
}

int srv_route_match(const char *method, const char *path, req *r, char *allow,
                    size_t allow_cap)
{
    int path_found = 0;
    allow[0] = '\0';
    for (size_t i = 0; i < srv_n_routes; i++) {
        if (!match(srv_routes[i].pattern, srv_routes[i].flags, path, NULL))
            continue;
        if (!strcmp(srv_routes[i].method, method) ||
            (!strcmp(method, "HEAD") && !strcmp(srv_routes[i].method, "GET"))) {
            match(srv_routes[i].pattern, srv_routes[i].flags, path, r);
            return (int)i;
        }
        size_t n = strlen(allow);
        snprintf(allow + n, allow_cap - n, "%s%s", n ? ", " : "", srv_routes[i].method);
        path_found = 1;
    }
    return path_found ? -2 : -1;
}

static void path_params(kouan_buf *b, const char *pattern)
{
    int first = 1;
    for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e)
            break;
        if (!first)
            kouan_buf_putc(b, ',');
        first = 0;
        kouan_buf_puts(b, "{\"name\":");
        kouan_json_str(b, p + 1, (size_t)(e - p - 1));
        kouan_buf_puts(b, ",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}");
    }
}

static void lower(char *dst, const char *src, size_t cap)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
    dst[i] = '\0';
}

kouan_err srv_openapi(kouan_buf *b)
{
    kouan_buf_puts(b, "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"kouan border management API\","
                      "\"version\":\"1.0.0\",\"description\":\"Generated from the server's route "
                      "table. Every /api/v1 route except login needs a bearer token; "
                      "x-kouan-permission names the permission (see the roles matrix).\"},"
                      "\"components\":{\"securitySchemes\":{\"bearer\":{\"type\":\"http\","
                      "\"scheme\":\"bearer\"}},\"schemas\":{\"Error\":{\"type\":\"object\","
                      "\"properties\":{\"error\":{\"type\":\"object\",\"properties\":{"
                      "\"code\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"},"
                      "\"field\":{\"type\":[\"string\",\"null\"]}}}}}}},\"paths\":{");
    for (size_t i = 0; i < srv_n_routes; i++) {
        const route *rt = &srv_routes[i];
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(srv_routes[j].pattern, rt->pattern))
                seen = 1;
        if (seen)
            continue;
        if (i)
            kouan_buf_putc(b, ',');
        kouan_json_cstr(b, rt->pattern);
        kouan_buf_putc(b, ':');
        kouan_buf_putc(b, '{');
        int firstm = 1;
        for (size_t j = i; j < srv_n_routes; j++) {
            const route *m = &srv_routes[j];
            if (strcmp(m->pattern, rt->pattern))
                continue;
            char meth[8];
            lower(meth, m->method, sizeof meth);
            if (!firstm)
                kouan_buf_putc(b, ',');
            firstm = 0;
            kouan_json_cstr(b, meth);
            kouan_buf_puts(b, ":{\"summary\":");
            kouan_json_cstr(b, m->summary);
            kouan_buf_puts(b, ",\"x-kouan-permission\":");
            kouan_json_cstr(b, kouan_perm_name(m->perm));
            if (m->perm != KOUAN_PERM_PUBLIC)
                kouan_buf_puts(b, ",\"security\":[{\"bearer\":[]}]");
            else
                kouan_buf_puts(b, ",\"security\":[]");
            kouan_buf_puts(b, ",\"parameters\":[");
            path_params(b, m->pattern);
            kouan_buf_putc(b, ']');
            if (m->request) {
                kouan_buf_puts(b, ",\"requestBody\":{\"required\":true,\"content\":{"
                                  "\"application/json\":{\"schema\":");
                kouan_buf_puts(b, m->request);
                kouan_buf_puts(b, "}}}");
            } else if (m->flags & RF_UPLOAD) {
                kouan_buf_puts(b, ",\"requestBody\":{\"required\":true,\"content\":{"
                                  "\"application/octet-stream\":{\"schema\":" BIN "},"
                                  "\"multipart/form-data\":{\"schema\":" UPLOAD_PARTS
                                  "}}}");
            }
            kouan_buf_printf(b, ",\"responses\":{\"%d\":{\"description\":\"success\"",
                             m->ok_status);
            if (m->response) {
                kouan_buf_puts(b, ",\"content\":{\"application/json\":{\"schema\":");
                kouan_buf_puts(b, m->response);
                kouan_buf_puts(b, "}}");
            }
            kouan_buf_puts(b, "},\"default\":{\"description\":\"error\",\"content\":{"
                              "\"application/json\":{\"schema\":" ERR_REF "}}}}}");
        }
        kouan_buf_putc(b, '}');
    }
    return kouan_buf_puts(b, "}}");
}
