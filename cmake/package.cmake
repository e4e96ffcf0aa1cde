# `make package`: a Debian package of Marquee built by CPack (DEB generator):
# the binary, /etc/marquee/marquee.toml (a conffile), the marquee@.service
# template, the nginx examples, the documentation and a man page made by
# help2man from the CLI's own --help. Checked with lintian by
# tests/package/package_test.sh.
include(GNUInstallDirs)

find_program(HELP2MAN help2man)
find_program(GZIP_PROGRAM gzip REQUIRED)
set(MARQUEE_MAN ${CMAKE_BINARY_DIR}/man/marquee.1.gz)
if(HELP2MAN)
  add_custom_command(
    OUTPUT ${MARQUEE_MAN}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${CMAKE_COMMAND} -DMARQUEE=$<TARGET_FILE:marquee> -DOUT=${CMAKE_BINARY_DIR}/man/serve.h2m
            -P ${CMAKE_SOURCE_DIR}/cmake/serve_help.cmake
    COMMAND ${HELP2MAN} --no-info --section=1 "--name=event programme, registrations and publishing"
            --include=${CMAKE_BINARY_DIR}/man/serve.h2m --output=${CMAKE_BINARY_DIR}/man/marquee.1 $<TARGET_FILE:marquee>
    COMMAND ${GZIP_PROGRAM} -9nf ${CMAKE_BINARY_DIR}/man/marquee.1
    DEPENDS marquee ${CMAKE_SOURCE_DIR}/cmake/serve_help.cmake
    COMMENT "man page from marquee --help (help2man)"
    VERBATIM)
  add_custom_target(manpage ALL DEPENDS ${MARQUEE_MAN})
  install(FILES ${MARQUEE_MAN} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

# The changelog Debian wants, compressed without a time stamp.
set(MARQUEE_CHANGELOG ${CMAKE_BINARY_DIR}/deb/changelog.gz)
add_custom_command(
  OUTPUT ${MARQUEE_CHANGELOG}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/deb
  COMMAND ${GZIP_PROGRAM} -9nc ${CMAKE_SOURCE_DIR}/deploy/debian/changelog > ${MARQUEE_CHANGELOG}
  DEPENDS ${CMAKE_SOURCE_DIR}/deploy/debian/changelog)
add_custom_target(deb_changelog ALL DEPENDS ${MARQUEE_CHANGELOG})

install(TARGETS marquee RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES deploy/marquee.toml DESTINATION /etc/marquee)
install(FILES deploy/marquee@.service DESTINATION /lib/systemd/system)
set(MARQUEE_DOC ${CMAKE_INSTALL_DATAROOTDIR}/doc/marquee)
install(FILES deploy/nginx-marquee.conf deploy/nginx-marquee-proxy.conf DESTINATION ${MARQUEE_DOC}/examples)
install(FILES README.md docs/deploying.md docs/architecture.md docs/security.md DESTINATION ${MARQUEE_DOC})
install(FILES deploy/debian/copyright ${MARQUEE_CHANGELOG} DESTINATION ${MARQUEE_DOC})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME marquee)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Marquee maintainers <maintainers@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "event programme, registrations and publishing platform")
set(CPACK_PACKAGE_DESCRIPTION "Marquee runs a public event programme and its registrations: an event
store with imports and data-quality checks, publishing with backups and
rollback, registrations that never overbook, schedule-change notifications,
an admin console and a JSON API. Several instances behind nginx share one
PostgreSQL database; see /usr/share/doc/marquee/deploying.md.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/marquee-events/marquee")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, nginx")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/deploy/debian/conffiles ${CMAKE_SOURCE_DIR}/deploy/debian/postinst
    ${CMAKE_SOURCE_DIR}/deploy/debian/prerm ${CMAKE_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/package)
include(CPack)
