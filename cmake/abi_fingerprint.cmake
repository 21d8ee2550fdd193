# ABI fingerprint of the plugin API: the SHA-256 of every public header in
# hub/include/sendhub/, in name order. It is generated into
# ${CMAKE_BINARY_DIR}/include/sendhub/abi_fingerprint.h, compiled into the host and into
# every plugin, and compared when a plugin loads, so a header change that nobody versioned
# still stops an old plugin at the door. Editing a header re-runs this at the next build.
file(GLOB SENDHUB_API_HEADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/hub/include/sendhub/*.h)
list(SORT SENDHUB_API_HEADERS)
set(_sendhub_abi_text "")
foreach(header IN LISTS SENDHUB_API_HEADERS)
  file(READ ${header} _sendhub_header_text)
  get_filename_component(_sendhub_header_name ${header} NAME)
  string(APPEND _sendhub_abi_text "${_sendhub_header_name}\n${_sendhub_header_text}")
endforeach()
string(SHA256 SENDHUB_ABI_FINGERPRINT "${_sendhub_abi_text}")
set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${SENDHUB_API_HEADERS})
set(SENDHUB_GENERATED_INCLUDE_DIR ${CMAKE_BINARY_DIR}/include)
configure_file(${CMAKE_SOURCE_DIR}/cmake/abi_fingerprint.h.in
               ${SENDHUB_GENERATED_INCLUDE_DIR}/sendhub/abi_fingerprint.h @ONLY)
