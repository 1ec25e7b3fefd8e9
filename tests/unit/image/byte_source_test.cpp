#include "image/byte_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "tests/unit/image/image_builder.hpp"

namespace {

using hale::image::Expansion;
using hale::image::ExpansionBudget;

}  // namespace

BOOST_AUTO_TEST_SUITE(byte_source_test)

BOOST_AUTO_TEST_CASE(read_error_names_the_input_and_a_lowercase_reason) {
    std::string dir = hale::test::temp_directory("fd-source");
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    BOOST_TEST_REQUIRE(fd >= 0);
    hale::image::FdSource source(fd, "layout");
    auto chunk = source.next();
    ::close(fd);
    BOOST_TEST_REQUIRE(!chunk.ok());
    BOOST_TEST(chunk.error() == "cannot read layout: is a directory");
}

BOOST_AUTO_TEST_CASE(file_is_read_no_further_than_its_limit) {
    std::string dir = hale::test::temp_directory("fd-limit");
    std::string path = dir + "/data";
    hale::test::write_directory(dir, {{"data", std::string(5000, 'x'), ""}});
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    BOOST_TEST_REQUIRE(fd >= 0);
    hale::image::FdSource source(fd, "data", 3000);
    uint64_t total = 0;
    for (;;) {
        auto chunk = source.next();
        BOOST_TEST_REQUIRE(chunk.ok());
        if (chunk->empty()) {
            break;
        }
        total += chunk->size();
    }
    ::close(fd);
    BOOST_TEST(total == 3000u);
}

BOOST_AUTO_TEST_CASE(expansion_below_the_floor_is_allowed_whatever_the_ratio) {
    ExpansionBudget budget(1000, 10);
    budget.add_stored(1);
    BOOST_TEST(budget.add_made(1000, Expansion::Decompression).ok());
}

BOOST_AUTO_TEST_CASE(expansion_within_the_ratio_is_allowed_past_the_floor) {
    ExpansionBudget budget(1000, 10);
    budget.add_stored(500);
    BOOST_TEST(budget.add_made(5000, Expansion::Decompression).ok());
}

BOOST_AUTO_TEST_CASE(expansion_past_the_floor_and_the_ratio_is_refused) {
    ExpansionBudget budget(1000, 10);
    budget.add_stored(100);
    auto made = budget.add_made(2000, Expansion::Decompression);
    BOOST_TEST_REQUIRE(!made.ok());
    BOOST_TEST(made.error() ==
               "decompressed data exceeds 10 times the archive's 100 bytes (decompression bomb?)");
}

BOOST_AUTO_TEST_CASE(spent_budget_stays_spent_when_more_is_stored) {
    ExpansionBudget budget(1000, 10);
    budget.add_stored(100);
    BOOST_TEST(!budget.add_made(2000, Expansion::SparseHoles).ok());
    budget.add_stored(1'000'000);
    BOOST_TEST(!budget.add_made(1, Expansion::SparseHoles).ok());
    BOOST_TEST(budget.spent());
}

BOOST_AUTO_TEST_SUITE_END()
