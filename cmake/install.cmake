# Install into an FHS layout, found relative to the executable (hub_config.cpp):
#   bin/sendhub, lib/sendhub/plugins/*.so, share/sendhub/schemas/, share/sendhub/examples/,
#   share/doc/sendhub/, include/sendhub/ (the plugin API, for third-party connectors).
# The paths are fixed rather than GNUInstallDirs' multiarch libdir, so that bin/../lib/sendhub
# holds for every prefix.
install(TARGETS sendhub RUNTIME DESTINATION bin)
install(TARGETS sen2_xml cms_csv fhir_advice kpi_extract pseudo_extract inspection LIBRARY DESTINATION lib/sendhub/plugins)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/schemas/ DESTINATION share/sendhub/schemas)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/config/ DESTINATION share/sendhub/examples)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION share/doc/sendhub)
install(FILES ${SENDHUB_API_HEADERS} ${SENDHUB_GENERATED_INCLUDE_DIR}/sendhub/abi_fingerprint.h
        DESTINATION include/sendhub)

# A Debian package: cpack -G DEB --config build/CPackConfig.cmake
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "sendhub")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "sendhub maintainers <sendhub@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SEND data integration hub for English local authorities (SEN2, CMS exports, FHIR advice)")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libpocofoundation80, libpocoutil80, libpocojson80, libpocoxml80, libpocozip80, libpugixml1v5, libsqlite3-0, libcurl4, libpq5, libxlsxwriter4, libstdc++6")
include(CPack)
