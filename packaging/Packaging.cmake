# Install rules for the desktop integration (desktop file, MIME type, icons, AppStream) and the CPack DEB package.
include(GNUInstallDirs)

set(RUNLENS_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
set(RUNLENS_ICON_SVG ${CMAKE_SOURCE_DIR}/resources/icons/runlens.svg)

install(FILES ${RUNLENS_PACKAGING_DIR}/runlens.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${RUNLENS_PACKAGING_DIR}/runlens-mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
        RENAME runlens.xml)
install(FILES ${RUNLENS_PACKAGING_DIR}/io.runlens.Runlens.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${CMAKE_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)
install(FILES ${RUNLENS_ICON_SVG} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME runlens.svg)

# PNG icons are rendered from the SVG at build time by a tiny Qt program, so only the SVG is kept in git.
set(RUNLENS_ICON_SIZES 16 24 32 48 64 128 256)
add_executable(runlens_render_icon ${RUNLENS_PACKAGING_DIR}/render_icon.cpp)
target_link_libraries(runlens_render_icon PRIVATE Qt6::Gui Qt6::Svg)
set(RUNLENS_ICON_PNGS)
foreach(size ${RUNLENS_ICON_SIZES})
  set(png ${CMAKE_BINARY_DIR}/icons/${size}x${size}/runlens.png)
  add_custom_command(
    OUTPUT ${png}
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen $<TARGET_FILE:runlens_render_icon> ${RUNLENS_ICON_SVG} ${size} ${png}
    DEPENDS runlens_render_icon ${RUNLENS_ICON_SVG}
    COMMENT "Rendering ${size}x${size} icon")
  list(APPEND RUNLENS_ICON_PNGS ${png})
  install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()
add_custom_target(runlens_icons ALL DEPENDS ${RUNLENS_ICON_PNGS})

set(CPACK_PACKAGE_NAME runlens)
set(CPACK_PACKAGE_VENDOR "Runlens contributors")
set(CPACK_PACKAGE_CONTACT "Runlens maintainers <maintainers@runlens.io>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Explore and compare machine-learning experiment logs")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_INSTALL_DIRECTORY runlens)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Runlens maintainers <maintainers@runlens.io>")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://runlens.io")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# dpkg-shlibdeps finds the Qt6, yaml-cpp, simdjson and SQLite runtime packages from the linked libraries.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Qt loads these as plugins (not linked), so shlibdeps cannot see them: SVG icons and the platform plugins.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6, qt6-qpa-plugins, shared-mime-info, desktop-file-utils")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Desktop explorer and command line for machine-learning experiment logs.\n Reads TensorBoard, MLflow, Lightning, Keras, Hugging Face, DVCLive, W&B and CSV logs\n into a SQLite workspace; curves, calibration, slices and paired comparisons.")
include(CPack)
