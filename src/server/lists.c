/* The screening lists a server keeps: their files live in the lists
 * directory beside the database (DB.lists/), their metadata (format, version,
 * entry count, SHA-256, last delta) in the store. The current lists are held
 * here under lists_lock, taken while a new version lands; queries never take
 * it — they read the immutable snapshot in the holder, which an import
 * replaces atomically when the new list is ready. Each change of a list
 * (upload, entry edit, retirement) claims the list first (lists_claim), so
 * that changes of one list land one after the other, each from the last. */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LISTS 32

static kouan_screen_list *cur[MAX_LISTS];
static size_t n_cur;

static int sha_file(crypto_hash_sha256_state *st, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    unsigned char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        crypto_hash_sha256_update(st, buf, (unsigned long long)n);
    close(fd);
    return n < 0 ? -1 : 0;
}

static void sha_hex(crypto_hash_sha256_state *st, char out[65])
{
    unsigned char d[32];
    crypto_hash_sha256_final(st, d);
    sodium_bin2hex(out, 65, d, sizeof d);
}

static kouan_err file_sha256(const char *path, char out[65])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    if (sha_file(&st, path) != 0)
        return KOUAN_ERR_IO;
    sha_hex(&st, out);
    return KOUAN_OK;
}

/* The digest of a list file as `kouan serve --watchlist` names it, with
 * the OFAC side files a load of it reads (kouan_screen_ofac_side_file)
 * when there are any: an alias added to alt.csv is a change of the list,
 * though sdn.csv is the same. Without them, the file's own digest. */
static kouan_err source_sha256(const char *path, char out[65])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    if (sha_file(&st, path) != 0)
        return KOUAN_ERR_IO;
    int any = 0;
    for (size_t k = 0; k < KOUAN_SCREEN_OFAC_SIDE_FILES; k++) {
        char p[4096];
        crypto_hash_sha256_state one;
        crypto_hash_sha256_init(&one);
        if (!kouan_screen_ofac_side_file(path, k, p, sizeof p) || sha_file(&one, p) != 0)
            continue;
        char h[65];
        sha_hex(&one, h);
        const char *slash = strrchr(p, '/');
        const char *base = slash ? slash + 1 : p;
        crypto_hash_sha256_update(&st, (const unsigned char *)base, strlen(base) + 1);
        crypto_hash_sha256_update(&st, (const unsigned char *)h, 64);
        any = 1;
    }
    if (!any)
        return file_sha256(path, out);
    sha_hex(&st, out);
    return KOUAN_OK;
}

/* The side files uploaded with the list file at path (path.alt.csv, ...,
 * upload.c): has[k] set for each there. */
static int upload_sides(const char *path, int has[SRV_SIDE_FILES])
{
    int any = 0;
    for (size_t k = 0; k < SRV_SIDE_FILES; k++) {
        char p[1300];
        has[k] = srv_side_path(p, sizeof p, path, k) == 0 && access(p, F_OK) == 0;
        any |= has[k];
    }
    return any;
}

/* A version's SHA-256: its file's; with side files, that of the lines
 * "HEX  NAME" of sha256sum for sdn.csv and each side file in the order of
 * srv_side_files (what `sha256sum sdn.csv alt.csv add.csv sdn_comments.csv
 * | sha256sum` prints), so that the same files uploaded again have the
 * same. */
static kouan_err version_sha256(const char *path, const int has[SRV_SIDE_FILES], char out[65])
{
    kouan_err rc = file_sha256(path, out);
    int any = 0;
    for (size_t k = 0; k < SRV_SIDE_FILES; k++)
        any |= has[k];
    if (rc != KOUAN_OK || !any)
        return rc;
    char lines[4 * 90], hex[65], p[1300];
    size_t n = (size_t)snprintf(lines, sizeof lines, "%s  sdn.csv\n", out);
    for (size_t k = 0; k < SRV_SIDE_FILES; k++) {
        if (!has[k])
            continue;
        if (srv_side_path(p, sizeof p, path, k) != 0 || file_sha256(p, hex) != KOUAN_OK)
            return KOUAN_ERR_IO;
        n += (size_t)snprintf(lines + n, sizeof lines - n, "%s  %s\n", hex,
                              srv_side_files[k].file);
    }
    unsigned char d[32];
    crypto_hash_sha256(d, (const unsigned char *)lines, n);
    sodium_bin2hex(out, 65, d, sizeof d);
    return KOUAN_OK;
}

/* Move (or, undo, move back) the side files that came with an upload's
 * list file from beside `from` to beside `to`; -1 when one could not be. */
static int move_sides(const char *from, const char *to, const int has[SRV_SIDE_FILES])
{
    for (size_t k = 0; k < SRV_SIDE_FILES; k++) {
        char a[1300], b[1300];
        if (!has[k])
            continue;
        if (srv_side_path(a, sizeof a, from, k) != 0 || srv_side_path(b, sizeof b, to, k) != 0 ||
            rename(a, b) != 0) {
            int e = errno;
            while (k-- > 0) /* those moved go back */
                if (has[k] && srv_side_path(a, sizeof a, from, k) == 0 &&
                    srv_side_path(b, sizeof b, to, k) == 0)
                    rename(b, a);
            errno = e;
            return -1;
        }
    }
    return 0;
}

/* Side files under a new version's name that did not come with it: left
 * by a crash between keeping an upload's files and committing it, they
 * would be read as this version's at the next start. -1 when one stays. */
static int drop_stale_sides(const char *final, const int has[SRV_SIDE_FILES])
{
    for (size_t k = 0; k < SRV_SIDE_FILES; k++) {
        char p[1300];
        if (!has[k] && srv_side_path(p, sizeof p, final, k) == 0 && unlink(p) != 0 &&
            errno != ENOENT)
            return -1;
    }
    return 0;
}

/* Rebuild the snapshot from cur[] and swap it in. */
static kouan_err publish(srv *s)
{
    if (n_cur == 0) { /* the last list retired: screening as with none loaded */
        kouan_screen_holder_swap(s->screen, NULL);
        return KOUAN_OK;
    }
    kouan_screen_index *ix = NULL;
    kouan_err rc = kouan_screen_index_build(cur, n_cur, &ix);
    if (rc != KOUAN_OK)
        return rc;
    kouan_screen_holder_swap(s->screen, ix);
    kouan_screen_index_unref(ix); /* the holder keeps its own reference */
    return KOUAN_OK;
}

static void put_list(kouan_screen_list *l, const char *name)
{
    for (size_t i = 0; i < n_cur; i++) {
        kouan_screen_list_info info;
        kouan_screen_list_get_info(cur[i], &info);
        if (!strcmp(info.name, name)) {
            kouan_screen_list_unref(cur[i]);
            cur[i] = l;
            return;
        }
    }
    cur[n_cur++] = l;
}

static kouan_screen_list *find_list(const char *name)
{
    for (size_t i = 0; i < n_cur; i++) {
        kouan_screen_list_info info;
        kouan_screen_list_get_info(cur[i], &info);
        if (!strcmp(info.name, name))
            return cur[i];
    }
    return NULL;
}

struct load_ctx {
    srv *s;
    int loaded;
};

static int load_row(void *ctx, const kouan_watchlist *w)
{
    struct load_ctx *l = ctx;
    if (w->retired_ms) /* kept for the audit, not screened against */
        return 0;
    if (n_cur >= MAX_LISTS)
        return 1;
    size_t dl = strlen(l->s->lists_dir);
    /* a version kept in the lists directory: no date from its path */
    kouan_screen_load_opts o = {.list_name = w->name,
                                .no_path_version = !strncmp(w->path, l->s->lists_dir, dl) &&
                                                   w->path[dl] == '/'};
    if (kouan_screen_format_parse(w->kind, &o.format) != KOUAN_OK)
        o.format = KOUAN_SCREEN_FMT_GUESS;
    kouan_screen_list *list = NULL;
    kouan_err rc = kouan_screen_list_load(w->path, &o, &list, NULL);
    if (rc != KOUAN_OK) {
        fprintf(stderr, "kouan serve: watchlist %s (%s) not loaded: %s\n", w->name, w->path,
                kouan_strerror(rc));
        return 0;
    }
    put_list(list, w->name);
    l->loaded++;
    return 0;
}

kouan_err lists_load_all(srv *s, char *errbuf, size_t errcap)
{
    kouan_store *st = NULL;
    kouan_err rc = kouan_store_open(s->db_path, &st, errbuf, errcap);
    if (rc != KOUAN_OK)
        return rc;
    pthread_mutex_lock(&s->lists_lock);
    struct load_ctx l = {s, 0};
    rc = kouan_store_watchlist_list(st, load_row, &l);
    if (rc == KOUAN_OK && n_cur)
        rc = publish(s);
    pthread_mutex_unlock(&s->lists_lock);
    if (rc != KOUAN_OK)
        snprintf(errbuf, errcap, "cannot load the watchlists: %s", kouan_strerror(rc));
    kouan_store_close(st);
    return rc;
}

void lists_free_all(void)
{
    for (size_t i = 0; i < n_cur; i++)
        kouan_screen_list_unref(cur[i]);
    n_cur = 0;
}

struct wl_job {
    kouan_watchlist w;
    const char *actor;
    const char *action, *what; /* the audit entry's action, and what it adds */
};

static kouan_err wl_write(void *ctx, kouan_store *s, kouan_audit *a)
{
    struct wl_job *j = ctx;
    kouan_err rc = kouan_store_watchlist_put(s, &j->w);
    if (rc != KOUAN_OK)
        return rc;
    /* The audit row's detail holds 255 bytes: a long reason is cut there,
     * between two characters (the list's record keeps it whole). */
    char detail[sizeof ((kouan_audit_row *)0)->detail];
    int n = snprintf(detail, sizeof detail, "version %lld, %lld entries%s",
                     (long long)j->w.version, (long long)j->w.entries, j->what ? ": " : "");
    if (j->what && n > 0 && (size_t)n < sizeof detail - 1) {
        size_t room = sizeof detail - 1 - (size_t)n, len = strlen(j->what);
        if (len > room) {
            len = room;
            while (len && ((unsigned char)j->what[len] & 0xC0) == 0x80)
                len--; /* not inside a character */
        }
        memcpy(detail + n, j->what, len);
        detail[(size_t)n + len] = '\0';
    }
    return srv_audit(a, s, j->actor, j->action ? j->action : "watchlist.import", "watchlist",
                     j->w.name, detail);
}

/* A delta names at most this many ids of each kind; "ids_truncated" says
 * when it named fewer than it counts. */
#define DELTA_IDS 10

static void delta_ids(kouan_buf *b, const char *key, char **ids, size_t n)
{
    kouan_buf_printf(b, ",\"%s\":[", key);
    for (size_t i = 0; i < n && i < DELTA_IDS; i++) {
        if (i)
            kouan_buf_putc(b, ',');
        kouan_json_cstr(b, ids[i]);
    }
    kouan_buf_putc(b, ']');
}

/* The answer's "rescreen" member: what screening the arrivals again did,
 * or why it failed (the list is in force, or retired, either way). */
static void rescreen_answer(kouan_buf *out, int *first, kouan_err rrc, int ran,
                            const rescreen_counts *rs)
{
    if (rrc != KOUAN_OK) {
        kouan_json_key(out, first, "rescreen");
        kouan_buf_puts(out, "{\"error\":");
        kouan_json_cstr(out, kouan_strerror(rrc));
        kouan_buf_putc(out, '}');
    } else if (ran) {
        rescreen_json(out, first, rs);
    }
}

/* ---- one change of a list at a time ----
 * An upload, an entry edit and a retirement each claim their list for as
 * long as they take, an upload's parse included: a second change of the
 * same list waits for the first to land, and is then made from it as the
 * next version. Changes of other lists go on meanwhile, and screening reads
 * the snapshot, never a claim. Claims live on their claimers' stacks. */
static pthread_mutex_t claims_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t claims_freed = PTHREAD_COND_INITIALIZER;
static list_claim *claims;

static int is_claimed(const char *name)
{
    for (const list_claim *c = claims; c; c = c->next)
        if (!strcmp(c->name, name))
            return 1;
    return 0;
}

static int claims_stopping;

kouan_err lists_claim(list_claim *c, const char *name, char *errbuf, size_t errcap)
{
    pthread_mutex_lock(&claims_lock);
    int waited = 0;
    while (is_claimed(name)) {
        if (claims_stopping) {
            pthread_mutex_unlock(&claims_lock);
            if (waited)
                srv_bg_wait_end();
            snprintf(errbuf, errcap, "the server is stopping: list %s is left as it is; try "
                                     "again shortly", name);
            return KOUAN_ERR_UNAVAILABLE;
        }
        if (!waited) { /* its background turn given up while it waits */
            pthread_mutex_unlock(&claims_lock);
            srv_bg_wait_begin();
            waited = 1;
            pthread_mutex_lock(&claims_lock);
            continue;
        }
        pthread_cond_wait(&claims_freed, &claims_lock);
    }
    c->name = name;
    c->next = claims;
    claims = c;
    pthread_mutex_unlock(&claims_lock);
    if (waited)
        srv_bg_wait_end();
    return KOUAN_OK;
}

void lists_stop_waiting(void)
{
    pthread_mutex_lock(&claims_lock);
    claims_stopping = 1;
    pthread_cond_broadcast(&claims_freed);
    pthread_mutex_unlock(&claims_lock);
}

void lists_release(list_claim *c)
{
    pthread_mutex_lock(&claims_lock);
    list_claim **p = &claims;
    while (*p && *p != c)
        p = &(*p)->next;
    if (*p)
        *p = c->next;
    pthread_cond_broadcast(&claims_freed);
    pthread_mutex_unlock(&claims_lock);
}

/* The stored delta of version `version` (d): from the version before it
 * when one was in force (prev), from none (every entity added) when not;
 * counted in entity ids either way, the first DELTA_IDS ids of each kind
 * named. Past the column's size the ids are left out and the counts kept.
 * "ids_truncated" is true when an id counted is not named. */
static void delta_json(char *json, size_t cap, int prev, int64_t version,
                       const kouan_screen_delta *d)
{
    char from[24] = "null", head[200];
    if (prev)
        snprintf(from, sizeof from, "%lld", (long long)(version - 1));
    snprintf(head, sizeof head,
             "{\"from_version\":%s,\"to_version\":%lld,\"added\":%zu,\"changed\":%zu,"
             "\"removed\":%zu",
             from, (long long)version, d->n_added, d->n_changed, d->n_removed);
    kouan_buf db;
    kouan_buf_init(&db, cap - 1);
    kouan_buf_puts(&db, head);
    delta_ids(&db, "added_ids", d->added, d->n_added);
    delta_ids(&db, "changed_ids", d->changed, d->n_changed);
    delta_ids(&db, "removed_ids", d->removed, d->n_removed);
    int cut = d->n_added > DELTA_IDS || d->n_changed > DELTA_IDS || d->n_removed > DELTA_IDS;
    kouan_buf_printf(&db, ",\"ids_truncated\":%s}", cut ? "true" : "false");
    if (db.err == KOUAN_OK)
        snprintf(json, cap, "%s", db.data);
    else
        snprintf(json, cap, "%s,\"ids_truncated\":true}", head);
    kouan_buf_free(&db);
}

/* The upload's or edit's answer: the version made, what was read, its
 * delta and what screening the arrivals again did. */
static void import_answer(kouan_buf *out, const char *name, const struct wl_job *j,
                          const kouan_screen_list_info *info, const kouan_screen_report *rep,
                          const char *note, kouan_err rrc, int rescreened,
                          const rescreen_counts *rs)
{
    int first = 1;
    kouan_buf_putc(out, '{');
    srv_put_str(out, &first, "name", name);
    srv_put_str(out, &first, "format", j->w.kind);
    srv_put_int(out, &first, "version", j->w.version);
    srv_put_int(out, &first, "persons", (long long)info->persons);
    srv_put_int(out, &first, "documents", (long long)info->documents);
    srv_put_int(out, &first, "skipped", (long long)rep->skipped);
    kouan_json_key(out, &first, "issues");
    kouan_buf_putc(out, '[');
    if (note)
        kouan_json_cstr(out, note);
    for (size_t i = 0; i < rep->n_issues && i < 20; i++) {
        if (i || note)
            kouan_buf_putc(out, ',');
        kouan_json_cstr(out, rep->issues[i].message);
    }
    kouan_buf_putc(out, ']');
    srv_put_str(out, &first, "sha256", j->w.sha256);
    kouan_json_key(out, &first, "delta");
    kouan_buf_puts(out, j->w.delta_json);
    rescreen_answer(out, &first, rrc, rescreened, rs);
    kouan_buf_putc(out, '}');
}

/* Under lists_lock: the new version's delta against the list in force,
 * its file kept (move), its record and audit entry committed, and the
 * snapshot swapped. What is refused (a list past MAX_LISTS) is refused
 * before anything is written; the file is not kept unless committed. */
static kouan_err land_version(srv *s, struct wl_job *j, kouan_screen_list **list,
                              const char *path, const char *final, int move,
                              const int sides[SRV_SIDE_FILES], kouan_screen_delta *d,
                              char *errbuf, size_t errcap)
{
    kouan_screen_list *prev = find_list(j->w.name);
    if (!prev && n_cur >= MAX_LISTS) {
        snprintf(errbuf, errcap, "at most %d lists can be loaded", MAX_LISTS);
        return KOUAN_ERR_RANGE;
    }
    kouan_err rc = kouan_screen_list_delta(prev, *list, d);
    if (rc != KOUAN_OK) {
        snprintf(errbuf, errcap, "the list's delta could not be computed");
        return rc;
    }
    delta_json(j->w.delta_json, sizeof j->w.delta_json, prev != NULL, j->w.version, d);
    if (move && (drop_stale_sides(final, sides) != 0 || move_sides(path, final, sides) != 0)) {
        snprintf(errbuf, errcap, "cannot keep the list's side files: %s", strerror(errno));
        return KOUAN_ERR_IO;
    }
    if (move && rename(path, final) != 0) {
        snprintf(errbuf, errcap, "cannot keep the list file: %s", strerror(errno));
        move_sides(final, path, sides);
        return KOUAN_ERR_IO;
    }
    rc = writer_run(s->writer, wl_write, j, 1);
    if (rc != KOUAN_OK) {
        if (move) {
            unlink(final);
            move_sides(final, path, sides); /* removed with the request */
        }
        return rc;
    }
    put_list(*list, j->w.name);
    *list = NULL;
    return publish(s);
}

/* Load path as the next version of list `name`, record it with its delta
 * against the version in force and publish a new snapshot; an upload's or
 * an edit's file (move) is kept in the lists directory as NAME.vN. The
 * caller holds the list's claim, so that the version read here is still
 * the last when this one lands. A refusal changes nothing. */
static kouan_err add_list(srv *s, kouan_store *rd, const char *name, const char *format,
                          const char *path, const char *source, const char *actor,
                          const char *action, const char *what, kouan_buf *out, char *errbuf,
                          size_t errcap)
{
    int move = source == NULL;
    /* an upload's or an edit's file, kept in the lists directory: no date
     * from its path (the directory is named after the database) */
    kouan_screen_load_opts o = {.list_name = name, .no_path_version = move};
    if (format && kouan_screen_format_parse(format, &o.format) != KOUAN_OK) {
        snprintf(errbuf, errcap, "unknown list format \"%s\"", format);
        return KOUAN_ERR_INVALID;
    }
    struct wl_job j;
    memset(&j, 0, sizeof j);
    j.actor = actor;
    j.action = action;
    j.what = what;
    kouan_watchlist old;
    int had = kouan_store_watchlist_get(rd, name, &old) == KOUAN_OK;
    j.w.version = had ? old.version + 1 : 1;
    /* `kouan serve --watchlist`'s file (source: its digest) is this name's
     * source from now on; an upload or an edit keeps the one before. */
    if (source) {
        kouan_store_copy(j.w.source_path, sizeof j.w.source_path, path);
        kouan_store_copy(j.w.source_sha256, sizeof j.w.source_sha256, source);
    } else if (had) {
        memcpy(j.w.source_path, old.source_path, sizeof j.w.source_path);
        memcpy(j.w.source_sha256, old.source_sha256, sizeof j.w.source_sha256);
    }
    char final[1200];
    if (move) {
        snprintf(final, sizeof final, "%s/%s.v%lld", s->lists_dir, name, (long long)j.w.version);
    } else {
        snprintf(final, sizeof final, "%s", path);
    }
    if (kouan_store_copy(j.w.path, sizeof j.w.path, final) != KOUAN_OK ||
        kouan_store_copy(j.w.name, sizeof j.w.name, name) != KOUAN_OK) {
        snprintf(errbuf, errcap, "the list's path is too long");
        return KOUAN_ERR_TOO_LARGE;
    }
    int sides[SRV_SIDE_FILES] = {0};
    int any_side = move && upload_sides(path, sides);
    kouan_err rc = version_sha256(path, sides, j.w.sha256);
    if (rc != KOUAN_OK) {
        snprintf(errbuf, errcap, "cannot read %s: %s", path, strerror(errno));
        return rc;
    }
    kouan_screen_report rep;
    memset(&rep, 0, sizeof rep);
    kouan_screen_list *list = NULL;
    rc = kouan_screen_list_load(path, &o, &list, &rep);
    if (rc != KOUAN_OK) {
        /* the issue that failed the file, not a warning before it (a line
         * read as Latin-1 above a header that lacks its name column) */
        size_t why = 0;
        while (why < rep.n_issues && rep.issues[why].code != rc)
            why++;
        if (why == rep.n_issues)
            why = 0;
        snprintf(errbuf, errcap, "the list could not be read: %s",
                 rep.n_issues ? rep.issues[why].message : kouan_strerror(rc));
        kouan_screen_report_free(&rep);
        return rc == KOUAN_ERR_IO ? KOUAN_ERR_IO : KOUAN_ERR_FORMAT;
    }
    /* A file cut short in a download would replace the whole list with its
     * first part: not as an upload's next version (the command line's
     * --watchlist still loads it, with the issue). */
    if (move && had && rep.cut_short) {
        snprintf(errbuf, errcap,
                 "%s: it seems to have been cut short, and list %s keeps its version %lld"
                 " (upload the whole file)",
                 rep.cut_short, name, (long long)old.version);
        kouan_screen_report_free(&rep);
        kouan_screen_list_unref(list);
        return KOUAN_ERR_FORMAT;
    }
    kouan_screen_list_info info;
    kouan_screen_list_get_info(list, &info);
    int ofac = !strcmp(info.format, "ofac-csv");
    if (any_side && !ofac) {
        snprintf(errbuf, errcap, "alt, add and comments are an OFAC SDN list's side files,"
                 " and this list was read as %s (upload it with format=ofac-csv)", info.format);
        kouan_screen_report_free(&rep);
        kouan_screen_list_unref(list);
        return KOUAN_ERR_FORMAT;
    }
    /* Without alt.csv an OFAC list is read without its aliases: say so. */
    const char *note = move && ofac && !sides[0]
                           ? "no alt.csv was uploaded with sdn.csv: the list's aliases are not"
                             " loaded"
                           : NULL;
    kouan_store_copy(j.w.kind, sizeof j.w.kind, info.format);
    j.w.entries = (int64_t)(info.persons + info.documents);
    j.w.loaded_ms = srv_now_ms();

    kouan_screen_delta d;
    memset(&d, 0, sizeof d);
    pthread_mutex_lock(&s->lists_lock);
    rc = land_version(s, &j, &list, path, final, move, sides, &d, errbuf, errcap);
    pthread_mutex_unlock(&s->lists_lock);
    if (list)
        kouan_screen_list_unref(list);
    /* Arrivals already screened meet the new entries now, not at the
     * counter. The list is in force whatever this finds: a failure here is
     * reported, not undone. */
    rescreen_delta rd_delta = {.screen = d.n_added + d.n_changed > 0,
                               .removed = d.removed, .changed = d.changed,
                               .n_removed = d.n_removed, .n_changed = d.n_changed};
    rescreen_counts rs;
    memset(&rs, 0, sizeof rs);
    kouan_err rrc = KOUAN_OK;
    int changed = rd_delta.screen || rd_delta.n_removed || rd_delta.n_changed;
    if (rc == KOUAN_OK && changed) {
        rrc = rescreen_arrivals(s, rd, name, (long long)j.w.version, actor, &rd_delta, &rs);
        if (rrc != KOUAN_OK)
            fprintf(stderr, "kouan serve: watchlist %s: arrivals not screened again: %s\n",
                    name, kouan_strerror(rrc));
    }
    if (rc == KOUAN_OK && out)
        import_answer(out, name, &j, &info, &rep, note, rrc, changed, &rs);
    kouan_screen_delta_free(&d);
    kouan_screen_report_free(&rep);
    return rc;
}

kouan_err lists_import(srv *s, kouan_store *rd, const char *name, const char *format,
                       const char *tmp_path, const char *actor, kouan_buf *out,
                       char *errbuf, size_t errcap)
{
    list_claim c;
    kouan_err rc = lists_claim(&c, name, errbuf, errcap);
    if (rc != KOUAN_OK)
        return rc;
    rc = add_list(s, rd, name, format, tmp_path, NULL, actor, NULL, NULL, out, errbuf, errcap);
    lists_release(&c);
    return rc;
}

kouan_err lists_import_edit(srv *s, kouan_store *rd, const char *name, const char *tmp_path,
                            const char *actor, const char *action, const char *what,
                            kouan_buf *out, char *errbuf, size_t errcap)
{
    return add_list(s, rd, name, "csv", tmp_path, NULL, actor, action, what, out, errbuf,
                    errcap);
}

void lists_retired_json(kouan_buf *b, int *first, const kouan_watchlist *w)
{
    if (!w->retired_ms)
        return;
    char t[32];
    srv_fmt_time(w->retired_ms, t);
    kouan_json_key(b, first, "retired");
    int f2 = 1;
    kouan_buf_putc(b, '{');
    kouan_json_key(b, &f2, "time");
    kouan_json_cstr(b, t);
    kouan_json_key(b, &f2, "by");
    kouan_json_cstr(b, w->retired_by);
    kouan_json_key(b, &f2, "reason");
    kouan_json_cstr(b, w->retired_reason);
    kouan_buf_putc(b, '}');
}

/* lists_retire, the list claimed. */
static kouan_err retire_claimed(srv *s, kouan_store *rd, const char *name, const char *actor,
                                const char *reason, kouan_buf *out, char *errbuf,
                                size_t errcap)
{
    struct wl_job j = {.actor = actor, .action = "watchlist.retire", .what = reason};
    kouan_err rc = kouan_store_watchlist_get(rd, name, &j.w);
    if (rc == KOUAN_ERR_NOT_FOUND) {
        snprintf(errbuf, errcap, "no watchlist with this name");
        return rc;
    }
    if (rc != KOUAN_OK)
        return rc;
    pthread_mutex_lock(&s->lists_lock);
    if (j.w.retired_ms) {
        char t[32];
        srv_fmt_time(j.w.retired_ms, t);
        snprintf(errbuf, errcap, "list %s was retired already, at %s by %s", name, t,
                 j.w.retired_by);
        rc = KOUAN_ERR_CONFLICT;
    }
    /* Every entity of the list, as removed: its flights' hits are withdrawn. */
    kouan_screen_list *prev = find_list(name);
    kouan_screen_delta d;
    memset(&d, 0, sizeof d);
    if (rc == KOUAN_OK && prev)
        rc = kouan_screen_list_delta(NULL, prev, &d);
    if (rc == KOUAN_OK) {
        j.w.retired_ms = srv_now_ms();
        kouan_store_copy(j.w.retired_by, sizeof j.w.retired_by, actor);
        kouan_store_copy(j.w.retired_reason, sizeof j.w.retired_reason, reason);
        rc = writer_run(s->writer, wl_write, &j, 1);
    }
    if (rc == KOUAN_OK && prev) {
        size_t k = 0;
        for (size_t i = 0; i < n_cur; i++)
            if (cur[i] != prev)
                cur[k++] = cur[i];
        n_cur = k;
        kouan_screen_list_unref(prev);
        rc = publish(s);
    }
    pthread_mutex_unlock(&s->lists_lock);
    rescreen_counts rs;
    memset(&rs, 0, sizeof rs);
    kouan_err rrc = KOUAN_OK;
    if (rc == KOUAN_OK && d.n_added) {
        rescreen_delta rd_delta = {.removed = d.added, .n_removed = d.n_added, .retired = 1};
        rrc = rescreen_arrivals(s, rd, name, (long long)j.w.version, actor, &rd_delta, &rs);
        if (rrc != KOUAN_OK)
            fprintf(stderr, "kouan serve: watchlist %s retired: arrivals' hits not withdrawn: %s\n",
                    name, kouan_strerror(rrc));
    }
    if (rc == KOUAN_OK) {
        int first = 1;
        kouan_buf_putc(out, '{');
        kouan_json_key(out, &first, "name");
        kouan_json_cstr(out, name);
        kouan_json_key(out, &first, "version");
        kouan_json_int(out, j.w.version);
        kouan_json_key(out, &first, "entries"); /* as the list of lists counts them */
        kouan_json_int(out, (long long)j.w.entries);
        lists_retired_json(out, &first, &j.w);
        rescreen_answer(out, &first, rrc, d.n_added > 0, &rs);
        kouan_buf_putc(out, '}');
    }
    kouan_screen_delta_free(&d);
    return rc;
}

kouan_err lists_retire(srv *s, kouan_store *rd, const char *name, const char *actor,
                       const char *reason, kouan_buf *out, char *errbuf, size_t errcap)
{
    list_claim c;
    kouan_err rc = lists_claim(&c, name, errbuf, errcap);
    if (rc != KOUAN_OK)
        return rc;
    rc = retire_claimed(s, rd, name, actor, reason, out, errbuf, errcap);
    lists_release(&c);
    return rc;
}

kouan_err lists_register(srv *s, kouan_store *rd, const char *name, const char *format,
                         const char *path, char *errbuf, size_t errcap)
{
    kouan_watchlist old;
    char sha[65];
    list_claim c;
    kouan_err rc = lists_claim(&c, name, errbuf, errcap);
    if (rc != KOUAN_OK)
        return rc;
    /* The same file as when this name last imported it, unchanged (side
     * files too): nothing to do, whatever came since — a version uploaded
     * over it stays in force, a retired list stays retired (loaded, or
     * not, with the rest). */
    if (source_sha256(path, sha) != KOUAN_OK) {
        snprintf(errbuf, errcap, "cannot read %s: %s", path, strerror(errno));
        rc = KOUAN_ERR_IO;
    } else if (kouan_store_watchlist_get(rd, name, &old) != KOUAN_OK ||
               strcmp(old.source_path, path) || strcmp(sha, old.source_sha256)) {
        rc = add_list(s, rd, name, format, path, sha, "system", NULL, NULL, NULL, errbuf,
                      errcap);
    }
    lists_release(&c);
    return rc;
}
