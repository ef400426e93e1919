# Finds the header-only Random123 library (Debian: librandom123-dev), which ships no
# CMake configuration of its own. Defines Random123_INCLUDE_DIRS and Random123::Random123.
find_path(Random123_INCLUDE_DIR NAMES Random123/philox.h)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Random123 REQUIRED_VARS Random123_INCLUDE_DIR)
if(Random123_FOUND)
  set(Random123_INCLUDE_DIRS ${Random123_INCLUDE_DIR})
  if(NOT TARGET Random123::Random123)
    add_library(Random123::Random123 INTERFACE IMPORTED)
    set_target_properties(Random123::Random123 PROPERTIES
                          INTERFACE_INCLUDE_DIRECTORIES ${Random123_INCLUDE_DIR})
  endif()
endif()
mark_as_advanced(Random123_INCLUDE_DIR)
