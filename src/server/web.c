/* The web interface's files, embedded into the program at build time
 * (web/embed.cmake generates web_assets.h). Without them, non-API paths are
 * 404. "/" serves "/index.html"; other paths without a file extension also get
 * index.html, so the interface's own routes survive a reload. */
#include "server.h"

#include <string.h>

#if defined(__has_include)
#if __has_include("web_assets.h")
#include "web_assets.h"
#define KOUAN_HAVE_WEB 1
#endif
#endif

int web_serve(req *r)
{
#ifdef KOUAN_HAVE_WEB
    const char *path = !strcmp(r->path, "/") ? "/index.html" : r->path;
    const struct kouan_web_asset *a = kouan_web_asset_find(path);
    if (!a) {
        const char *slash = strrchr(r->path, '/');
        if (slash && !strchr(slash, '.'))
            a = kouan_web_asset_find("/index.html");
    }
    if (!a)
        return 0;
    kouan_buf_append(&r->out, a->data, a->len);
    r->content_type = a->mime;
    r->status = 200;
    r->responded = 1;
    return 1;
#else
    (void)r;
    return 0;
#endif
}
