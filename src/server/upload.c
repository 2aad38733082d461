/* A list upload's body sent as multipart/form-data: the list file in a
 * part named sdn (or file), and an OFAC SDN list's side files in parts
 * alt, add and comments. The list file goes where a raw body goes
 * (r->upload_path, DB.lists/.upload-XXXXXX); each side file beside it,
 * named as the OFAC reader looks for it (.upload-XXXXXX.alt.csv), so that
 * the list is read with them and they follow it when it is kept as
 * NAME.vN (lists.c). libmicrohttpd's post processor splits the parts; the
 * whole body keeps the upload's cap, a side file has its own. What is
 * wrong with the body (a part unknown, given twice or too large, no list
 * file) is said in r->body_msg, naming the part. */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const srv_side_file srv_side_files[SRV_SIDE_FILES] = {
    {"alt", "alt.csv"},
    {"add", "add.csv"},
    {"comments", "sdn_comments.csv"},
};

int srv_side_path(char *out, size_t cap, const char *list_path, size_t k)
{
    int n = snprintf(out, cap, "%s.%s", list_path, srv_side_files[k].file);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

static void body_refused(req *r, kouan_err e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void body_refused(req *r, kouan_err e, const char *field, const char *fmt, ...)
{
    if (r->body_error)
        return;
    r->body_error = e;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->body_msg, sizeof r->body_msg, fmt, ap);
    va_end(ap);
    r->body_field = field;
}

/* The part `key` is: 0 the list file, 1 + k the side file k, -1 unknown. */
static int part_index(const char *key)
{
    if (!strcmp(key, "sdn") || !strcmp(key, "file"))
        return 0;
    for (size_t k = 0; k < SRV_SIDE_FILES; k++)
        if (!strcmp(key, srv_side_files[k].part))
            return 1 + (int)k;
    return -1;
}

static int open_side(req *r, size_t k)
{
    char p[sizeof r->upload_path + 32];
    if (srv_side_path(p, sizeof p, r->upload_path, k) != 0) {
        r->body_error = KOUAN_ERR_TOO_LARGE;
        return -1;
    }
    r->side_fd[k] = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (r->side_fd[k] < 0) {
        r->body_error = KOUAN_ERR_IO;
        return -1;
    }
    return 0;
}

static int write_all(int fd, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        data += w;
        n -= (size_t)w;
    }
    return 0;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    (void)kind;
    (void)filename;
    (void)content_type;
    (void)transfer_encoding;
    req *r = cls;
    if (r->body_error)
        return MHD_NO;
    const char *name = key ? key : "";
    int i = part_index(name);
    if (i < 0) {
        body_refused(r, KOUAN_ERR_INVALID, NULL,
                     "unknown part \"%.48s\": a list upload's parts are sdn (or file), alt, "
                     "add and comments",
                     name);
        return MHD_NO;
    }
    if (i != r->part || (off == 0 && r->part_len[i] > 0)) { /* a part begins */
        if (r->parts_seen & (1u << i)) {
            body_refused(r, KOUAN_ERR_INVALID, i ? srv_side_files[i - 1].part : "sdn",
                         "part \"%s\" is given twice (the list file is one part, sdn or "
                         "file; each side file one)",
                         name);
            return MHD_NO;
        }
        r->parts_seen |= 1u << i;
        r->part = i;
        if (i > 0 && open_side(r, (size_t)i - 1) != 0)
            return MHD_NO;
    }
    size_t cap = i ? SRV_SIDE_CAP : SRV_UPLOAD_CAP;
    if (r->part_len[i] + size > cap) {
        body_refused(r, KOUAN_ERR_TOO_LARGE, i ? srv_side_files[i - 1].part : "sdn",
                     "part \"%s\" is larger than %zu MiB, %s", name, cap >> 20,
                     i ? "a side file's limit" : "a list upload's limit");
        return MHD_NO;
    }
    int fd = i ? r->side_fd[i - 1] : r->upload_fd;
    if (size && write_all(fd, data, size) != 0) {
        r->body_error = KOUAN_ERR_IO;
        return MHD_NO;
    }
    r->part_len[i] += size;
    if (!i)
        r->upload_len += size;
    return MHD_YES;
}

int srv_multipart_start(req *r, const char *ct)
{
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0)
        return 0;
    r->pp = MHD_create_post_processor(r->conn, 64 * 1024, on_part, r);
    if (!r->pp) {
        srv_error(r, 400, "invalid", "a multipart/form-data body needs its boundary", NULL);
        return -1;
    }
    return 0;
}

void srv_multipart_take(req *r, const char *data, size_t n)
{
    r->body_len += n;
    if (r->body_len > SRV_UPLOAD_CAP) {
        r->body_error = KOUAN_ERR_TOO_LARGE;
        return;
    }
    if (MHD_post_process(r->pp, data, n) != MHD_YES)
        body_refused(r, KOUAN_ERR_INVALID, NULL, "the multipart/form-data body is malformed");
}

void srv_multipart_end(req *r)
{
    if (!r->pp)
        return;
    int whole = MHD_destroy_post_processor(r->pp) == MHD_YES;
    r->pp = NULL;
    if (r->body_error)
        return; /* said by the caller */
    if (!whole)
        body_refused(r, KOUAN_ERR_INVALID, NULL,
                     "the multipart/form-data body ends before its closing boundary");
    else if (!(r->parts_seen & 1u))
        body_refused(r, KOUAN_ERR_INVALID, "sdn",
                     "no list file: a multipart upload sends it in a part named sdn (or file),"
                     " its side files in parts alt, add and comments");
    for (size_t k = 0; k < SRV_SIDE_FILES && !r->body_error; k++)
        if (r->side_fd[k] >= 0 && fsync(r->side_fd[k]) != 0)
            r->body_error = KOUAN_ERR_IO;
}

void srv_multipart_free(req *r)
{
    if (r->pp)
        MHD_destroy_post_processor(r->pp);
    r->pp = NULL;
    for (size_t k = 0; k < SRV_SIDE_FILES; k++) {
        if (r->side_fd[k] < 0)
            continue;
        close(r->side_fd[k]);
        r->side_fd[k] = -1;
        char p[sizeof r->upload_path + 32];
        /* moved with the list file when it was kept */
        if (r->upload_path[0] && srv_side_path(p, sizeof p, r->upload_path, k) == 0)
            unlink(p);
    }
}
