# Embedding the web interface into the kouan program.
#
# kouan_program_extras(target) adds to target a C source generated at build
# time from the files under web/ (tests, node_modules and the build scripts
# themselves excluded): one byte array per file and a table sorted by path,
# plus the header web_assets.h declaring
#   struct kouan_web_asset { path, data, len, mime };
#   const struct kouan_web_asset *kouan_web_asset_find(const char *path);
# The generator is web/embed_gen.cmake, run with `cmake -P`, so nothing but
# CMake and the C compiler is needed. The file list is globbed with
# CONFIGURE_DEPENDS: adding a file under web/ re-runs the configure step.

set(KOUAN_WEB_DIR ${CMAKE_CURRENT_LIST_DIR})

function(kouan_web_asset_files out)
  file(GLOB_RECURSE _all CONFIGURE_DEPENDS LIST_DIRECTORIES false
       RELATIVE ${KOUAN_WEB_DIR} ${KOUAN_WEB_DIR}/*)
  set(_keep "")
  foreach(_f ${_all})
    if(_f MATCHES "(^|/)(node_modules|tests?)/" OR
       _f MATCHES "\\.cmake$" OR _f MATCHES "(^|/)\\." OR
       _f MATCHES "~$" OR _f MATCHES "\\.md$")
      continue()
    endif()
    list(APPEND _keep ${_f})
  endforeach()
  list(SORT _keep)
  set(${out} ${_keep} PARENT_SCOPE)
endfunction()

function(kouan_program_extras target)
  kouan_web_asset_files(_files)
  set(_outdir ${CMAKE_BINARY_DIR}/generated/web)
  set(_deps "")
  foreach(_f ${_files})
    list(APPEND _deps ${KOUAN_WEB_DIR}/${_f})
  endforeach()
  # The list goes to the generator through a file: a CMake list on the
  # command line would be split by the shell's and CMake's own rules.
  string(REPLACE ";" "\n" _listing "${_files}")
  file(CONFIGURE OUTPUT ${_outdir}/web_assets.list CONTENT "${_listing}\n")
  add_custom_command(
    OUTPUT ${_outdir}/web_assets.c ${_outdir}/web_assets.h
    COMMAND ${CMAKE_COMMAND} -DWEB_DIR=${KOUAN_WEB_DIR} -DOUT_DIR=${_outdir}
            -DLIST_FILE=${_outdir}/web_assets.list
            -P ${KOUAN_WEB_DIR}/embed_gen.cmake
    DEPENDS ${_deps} ${KOUAN_WEB_DIR}/embed_gen.cmake
            ${_outdir}/web_assets.list
    COMMENT "Embedding the web interface"
    VERBATIM)
  target_sources(${target} PRIVATE ${_outdir}/web_assets.c
                                   ${_outdir}/web_assets.h)
  target_include_directories(${target} PRIVATE ${_outdir})
endfunction()
