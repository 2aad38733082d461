# Generates web_assets.c and web_assets.h from the files named in LIST_FILE
# (paths relative to WEB_DIR, one a line, sorted). Run by the build as
#   cmake -DWEB_DIR=... -DOUT_DIR=... -DLIST_FILE=... -P embed_gen.cmake
# Each file becomes a byte array; the table is sorted by path so that
# kouan_web_asset_find can search it with bsearch. The build runs it only when a
# file under web/ changes.
cmake_minimum_required(VERSION 3.20)

foreach(_v WEB_DIR OUT_DIR LIST_FILE)
  if(NOT DEFINED ${_v})
    message(FATAL_ERROR "embed_gen.cmake: ${_v} is not set")
  endif()
endforeach()

file(STRINGS ${LIST_FILE} _files)
list(SORT _files)

# Media types by extension; anything else is served as bytes.
function(mime_of path out)
  string(REGEX MATCH "\\.[^./]+$" _ext "${path}")
  string(TOLOWER "${_ext}" _ext)
  set(_m "application/octet-stream")
  if(_ext STREQUAL ".html")
    set(_m "text/html; charset=utf-8")
  elseif(_ext STREQUAL ".css")
    set(_m "text/css; charset=utf-8")
  elseif(_ext STREQUAL ".js" OR _ext STREQUAL ".mjs")
    set(_m "text/javascript; charset=utf-8")
  elseif(_ext STREQUAL ".json")
    set(_m "application/json")
  elseif(_ext STREQUAL ".svg")
    set(_m "image/svg+xml")
  elseif(_ext STREQUAL ".png")
    set(_m "image/png")
  elseif(_ext STREQUAL ".ico")
    set(_m "image/x-icon")
  elseif(_ext STREQUAL ".woff2")
    set(_m "font/woff2")
  elseif(_ext STREQUAL ".txt")
    set(_m "text/plain; charset=utf-8")
  elseif(_ext STREQUAL ".webmanifest")
    set(_m "application/manifest+json")
  endif()
  set(${out} "${_m}" PARENT_SCOPE)
endfunction()

set(_c "/* Generated from web/ by web/embed_gen.cmake: do not edit. */\n")
string(APPEND _c "#include <stdlib.h>\n#include <string.h>\n\n")
string(APPEND _c "#include \"web_assets.h\"\n\n")
set(_table "")
set(_i 0)
set(_total 0)
foreach(_f ${_files})
  if(_f MATCHES "[\"\\\\]")
    message(FATAL_ERROR "embed_gen.cmake: unsupported file name: ${_f}")
  endif()
  file(READ ${WEB_DIR}/${_f} _hex HEX)
  string(LENGTH "${_hex}" _hl)
  math(EXPR _len "${_hl} / 2")
  math(EXPR _total "${_total} + ${_len}")
  # 16 bytes a line: first wrap each 32 hex digits, then each byte.
  string(REGEX REPLACE "([0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f])"
         "\\1\n" _hex "${_hex}")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _hex "${_hex}")
  string(APPEND _c "/* ${_f} */\nstatic const unsigned char asset_${_i}[] = {\n${_hex}0x00\n};\n")
  mime_of(${_f} _mime)
  string(APPEND _table "    {\"/${_f}\", asset_${_i}, ${_len}, \"${_mime}\"},\n")
  math(EXPR _i "${_i} + 1")
endforeach()

string(APPEND _c "\nstatic const struct kouan_web_asset assets[] = {\n${_table}")
if(_i EQUAL 0)
  string(APPEND _c "    {\"\", NULL, 0, NULL},\n")
endif()
string(APPEND _c "};\n\n")
string(APPEND _c "static const size_t n_assets = ${_i};\n\n")
string(APPEND _c [=[
static int by_path(const void *key, const void *elem)
{
    const struct kouan_web_asset *a = elem;
    return strcmp(key, a->path);
}

const struct kouan_web_asset *kouan_web_asset_find(const char *path)
{
    if (!path || !n_assets)
        return NULL;
    return bsearch(path, assets, n_assets, sizeof assets[0], by_path);
}

size_t kouan_web_asset_count(void)
{
    return n_assets;
}

const struct kouan_web_asset *kouan_web_asset_at(size_t i)
{
    return i < n_assets ? &assets[i] : NULL;
}
]=])

set(_h [=[
/* The web interface's files, embedded into the kouan program.
 * Generated from web/ by web/embed_gen.cmake: do not edit.
 *
 * Every file under web/ (tests and build scripts excepted) is one entry,
 * named by its path from web/ with a leading '/': "/index.html",
 * "/js/app.js". data is followed by a NUL byte not counted in len. The
 * table is immutable static data: thread-safe, nothing to free. */
#ifndef KOUAN_WEB_ASSETS_H
#define KOUAN_WEB_ASSETS_H

#include <stddef.h>

struct kouan_web_asset {
    const char *path;          /* "/index.html" */
    const unsigned char *data;
    size_t len;
    const char *mime;          /* Content-Type to send */
};

/* The asset at path (exact, case-sensitive, no query string), or NULL.
 * The caller maps "/" to "/index.html". */
const struct kouan_web_asset *kouan_web_asset_find(const char *path);

/* How many assets there are, and the i-th in path order (NULL past the end):
 * for listing and for tests. */
size_t kouan_web_asset_count(void);
const struct kouan_web_asset *kouan_web_asset_at(size_t i);

#endif
]=])

# Sorting the CMake list sorts by the same byte order strcmp uses, and the
# leading '/' is common to all, so the table is in bsearch order.
file(WRITE ${OUT_DIR}/web_assets.c "${_c}")
file(WRITE ${OUT_DIR}/web_assets.h "${_h}")
message(STATUS "web assets: ${_i} files, ${_total} bytes")
