// The entry point of hale's unit tests; the suites live in the files next to this one.
#define BOOST_TEST_MODULE hale unit tests
#include <boost/test/unit_test.hpp>
