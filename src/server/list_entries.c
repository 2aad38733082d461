/* A national list edited entry by entry: an administrator adds a person to
 * a list in the csv layout (a new list when none has the name) or removes
 * one, without uploading the whole file. The edit makes the list's next
 * version exactly as an upload would (lists_import_edit: delta, snapshot
 * swapped while inspections go on, arrivals screened again), so an urgent
 * addition alerts on tomorrow's flights at once. Edits and uploads of one
 * list are serialised (lists_claim), so that two at once cannot lose one
 * another (docs/api.md, "Watchlists"). */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kouan/screen.h"

/* A national list is at most this large to be edited here (an upload
 * replaces larger ones). */
#define EDIT_MAX_LIST (256u << 20)

struct edit_ctx {
    srv *s;
    const char *name, *actor;
    int remove;
    kouan_screen_csv_entry e;
    char aliases[16384];
    const char *id;
    kouan_buf out;
    char err[256];
};

static void edit_free(void *p)
{
    struct edit_ctx *c = p;
    kouan_buf_free(&c->out);
    free(c);
}

/* The whole file at path, malloc'd (*len); NULL with errno on failure
 * (EFBIG: over EDIT_MAX_LIST). */
static char *read_all(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *buf = NULL;
    int e = 0;
    if (fstat(fd, &st) != 0)
        e = errno;
    else if (st.st_size < 0 || (uint64_t)st.st_size > EDIT_MAX_LIST)
        e = EFBIG;
    else if (!(buf = malloc((size_t)st.st_size + 1)))
        e = ENOMEM;
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    if (buf && got != (size_t)st.st_size) {
        free(buf);
        buf = NULL;
        e = EIO;
    }
    close(fd);
    *len = got;
    errno = e;
    return buf;
}

/* The list's new text into a file of the lists directory (path). */
static kouan_err write_tmp(const srv *s, const kouan_buf *b, char path[1200])
{
    int n = snprintf(path, 1200, "%s/" SRV_EDIT_PREFIX "XXXXXX", s->lists_dir);
    if (n < 0 || n >= 1200)
        return KOUAN_ERR_TOO_LARGE;
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return KOUAN_ERR_IO;
    size_t done = 0;
    while (done < b->len) {
        ssize_t k = write(fd, b->data + done, b->len - done);
        if (k <= 0)
            break;
        done += (size_t)k;
    }
    int ok = done == b->len && fsync(fd) == 0;
    close(fd);
    if (!ok) {
        unlink(path);
        return KOUAN_ERR_IO;
    }
    return KOUAN_OK;
}

static kouan_err edit_claimed(struct edit_ctx *c, kouan_store *st)
{
    kouan_watchlist w;
    kouan_err rc = kouan_store_watchlist_get(st, c->name, &w);
    if (rc != KOUAN_OK && rc != KOUAN_ERR_NOT_FOUND)
        return rc;
    int had = rc == KOUAN_OK;
    if (!had && c->remove) {
        snprintf(c->err, sizeof c->err, "no watchlist with this name");
        return KOUAN_ERR_NOT_FOUND;
    }
    if (had && w.retired_ms) {
        snprintf(c->err, sizeof c->err,
                 "list %s is retired: upload its next version to bring it back", c->name);
        return KOUAN_ERR_CONFLICT;
    }
    if (had && strcmp(w.kind, "csv")) {
        snprintf(c->err, sizeof c->err,
                 "list %s is in the %s layout: only national lists (csv) are edited entry by"
                 " entry; upload the list to change it",
                 c->name, w.kind);
        return KOUAN_ERR_CONFLICT;
    }
    size_t len = 0;
    char *text = NULL;
    if (had && !(text = read_all(w.path, &len))) {
        snprintf(c->err, sizeof c->err, "cannot read the list's file: %s", strerror(errno));
        return errno == EFBIG ? KOUAN_ERR_TOO_LARGE : KOUAN_ERR_IO;
    }
    kouan_buf next;
    kouan_buf_init(&next, EDIT_MAX_LIST + (1u << 20));
    if (c->remove) {
        rc = kouan_screen_csv_remove(text ? text : "", len, c->id, &next);
        if (rc == KOUAN_ERR_NOT_FOUND)
            snprintf(c->err, sizeof c->err, "no entity with this id in list %s", c->name);
        else if (rc == KOUAN_ERR_FORMAT)
            snprintf(c->err, sizeof c->err,
                     "list %s is not a national list with one 'id' column to find the entity"
                     " by and one 'name' column (or 'surname' and 'given_names')", c->name);
        else if (rc == KOUAN_ERR_CONFLICT) /* persons counted, not their documents */
            snprintf(c->err, sizeof c->err,
                     "list %s has one entry left: a list keeps at least one (upload its"
                     " next version, or retire the list)",
                     c->name);
    } else {
        rc = kouan_screen_csv_add(text ? text : "", len, &c->e, &next, c->err, sizeof c->err);
    }
    free(text);
    char tmp[1200];
    if (rc == KOUAN_OK)
        rc = write_tmp(c->s, &next, tmp);
    kouan_buf_free(&next);
    if (rc != KOUAN_OK)
        return rc;
    char what[200];
    snprintf(what, sizeof what, "%s %.64s", c->remove ? "removed" : "added", c->id);
    rc = lists_import_edit(c->s, st, c->name, tmp, c->actor,
                           c->remove ? "watchlist.entry_remove" : "watchlist.entry_add", what,
                           &c->out, c->err, sizeof c->err);
    if (rc != KOUAN_OK)
        unlink(tmp); /* kept only once imported */
    return rc;
}

static kouan_err edit_bg(void *ctx, kouan_store *unused, kouan_audit *a)
{
    (void)unused;
    (void)a;
    struct edit_ctx *c = ctx;
    kouan_store *st = NULL;
    kouan_err rc = kouan_store_open(c->s->db_path, &st, c->err, sizeof c->err);
    if (rc != KOUAN_OK)
        return rc;
    list_claim claim; /* the list read, changed and landed, nothing between */
    rc = lists_claim(&claim, c->name, c->err, sizeof c->err);
    if (rc == KOUAN_OK) {
        rc = edit_claimed(c, st);
        lists_release(&claim);
    }
    kouan_store_close(st);
    return rc;
}

/* The field an entry's error names ("\"date_of_birth\" is ..."). */
static const char *err_field(const char *err, char out[32])
{
    const char *q = err[0] == '"' ? strchr(err + 1, '"') : NULL;
    if (!q || (size_t)(q - err - 1) >= 32)
        return NULL;
    memcpy(out, err + 1, (size_t)(q - err - 1));
    out[q - err - 1] = '\0';
    return out;
}

static void answer(req *r, struct edit_ctx *c, kouan_err rc, int status)
{
    if (rc != KOUAN_OK) {
        char field[32];
        const char *msg = c->err[0] ? c->err : "the list could not be changed";
        if (rc == KOUAN_ERR_INVALID)
            srv_error(r, 400, "invalid", msg, err_field(msg, field));
        else if (rc == KOUAN_ERR_EXISTS)
            srv_error(r, 409, "exists", msg, "id");
        else if (rc == KOUAN_ERR_FORMAT || rc == KOUAN_ERR_CONFLICT)
            srv_error(r, 409, "conflict", msg, NULL);
        else
            srv_error_err(r, rc, msg, NULL);
        return;
    }
    kouan_buf_free(&r->out);
    r->out = c->out;
    kouan_buf_init(&c->out, 0);
    srv_reply_json(r, status);
}

static struct edit_ctx *new_ctx(req *r)
{
    if (!srv_valid_list_name(r->params[0])) {
        srv_error(r, 400, "invalid", "a list name is 1-48 of a-z, 0-9, '_' or '-'", "name");
        return NULL;
    }
    struct edit_ctx *c = srv_hctx(r, sizeof *c, edit_free);
    if (!c)
        return NULL;
    c->s = r->s;
    c->name = r->params[0];
    c->actor = r->user.username;
    kouan_buf_init(&c->out, 1 << 20);
    return c;
}

/* "aliases": an array of names, or one string of names separated by ';'. */
static int take_aliases(req *r, struct edit_ctx *c)
{
    json_t *a = json_object_get(r->json, "aliases");
    if (!a || json_is_string(a)) {
        c->e.aliases = a ? json_string_value(a) : NULL;
        return 0;
    }
    size_t i, o = 0;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        const char *s = json_string_value(v);
        size_t n = s ? strlen(s) : 0;
        if (!s || !n || strchr(s, ';') || o + n + 2 > sizeof c->aliases) {
            char msg[96];
            snprintf(msg, sizeof msg,
                     "aliases[%zu] must be a name without ';' (all of them up to 16 KiB)", i);
            srv_error(r, 400, "invalid", msg, "aliases");
            return -1;
        }
        if (o)
            c->aliases[o++] = ';';
        memcpy(c->aliases + o, s, n);
        o += n;
    }
    c->aliases[o] = '\0';
    c->e.aliases = c->aliases;
    return 0;
}

void h_watchlist_entry_add(req *r)
{
    struct edit_ctx *c = r->hctx;
    if (!c) {
        static const jfield fields[] = {
            {"id", JF_STRING, 1, 64},
            {"name", JF_STRING, 1, KOUAN_SCREEN_MAX_NAME},
            {"aliases", JF_ARRAY, 0, 64},
            {"date_of_birth", JF_STRING, 0, 64},
            {"nationality", JF_STRING, 0, 64},
            {"gender", JF_STRING, 0, 16},
            {"document_number", JF_STRING, 0, 96},
            {"document_country", JF_STRING, 0, 64},
            {"place_of_birth", JF_STRING, 0, 256},
            {"listed_on", JF_STRING, 0, 32},
            {"note", JF_STRING, 0, 4000},
            {"address", JF_STRING, 0, 1000},
        };
        json_t *al = json_object_get(r->json, "aliases");
        /* aliases may also be one string separated by ';' */
        jfield f[sizeof fields / sizeof *fields];
        memcpy(f, fields, sizeof f);
        if (json_is_string(al)) {
            f[2].type = JF_STRING;
            f[2].max_len = 16384;
        }
        if (srv_json_check(r, f, sizeof f / sizeof *f) != 0 || !(c = new_ctx(r)))
            return;
        c->e = (kouan_screen_csv_entry){
            .id = srv_json_str(r, "id"),
            .name = srv_json_str(r, "name"),
            .date_of_birth = srv_json_str(r, "date_of_birth"),
            .nationality = srv_json_str(r, "nationality"),
            .gender = srv_json_str(r, "gender"),
            .document_number = srv_json_str(r, "document_number"),
            .document_country = srv_json_str(r, "document_country"),
            .place_of_birth = srv_json_str(r, "place_of_birth"),
            .listed_on = srv_json_str(r, "listed_on"),
            .note = srv_json_str(r, "note"),
            .address = srv_json_str(r, "address"),
        };
        c->id = c->e.id;
        if (take_aliases(r, c) != 0)
            return;
    }
    kouan_err rc;
    if (!srv_background(r, edit_bg, c, &rc))
        return;
    answer(r, c, rc, 201);
}

void h_watchlist_entry_remove(req *r)
{
    struct edit_ctx *c = r->hctx;
    if (!c) {
        if (!(c = new_ctx(r)))
            return;
        c->remove = 1;
        c->id = r->params[1];
    }
    kouan_err rc;
    if (!srv_background(r, edit_bg, c, &rc))
        return;
    answer(r, c, rc, 200);
}
