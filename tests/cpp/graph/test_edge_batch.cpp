#include "bankquant/graph/edge_batch.hpp"

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(EdgeBatch, ReadsQuotedCsvInAnyColumnOrder) {
  const auto r = gr::read_edge_csv("note,dst,src,timestamp,amount\r\n\"a, \"\"b\"\"\",\"y,1\",x,10,2.5\n,x,\"y,1\",11,1e3\n\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r.src, (std::vector<std::string>{"x", "y,1"}));
  EXPECT_EQ(r.dst, (std::vector<std::string>{"y,1", "x"}));
  EXPECT_EQ(r.amount, (std::vector<double>{2.5, 1000}));
  EXPECT_EQ(r.timestamp, (std::vector<std::int64_t>{10, 11}));
  gr::EdgeCsvOptions no_time;
  no_time.timestamp = "";
  no_time.amount = "";
  const auto plain = gr::read_edge_csv("src,dst\na,b\n", no_time);
  EXPECT_TRUE(plain.timestamp.empty() && plain.amount.empty());
}

TEST(EdgeBatch, BadRowsAreNamed) {
  auto message = [](std::string_view text) {
    try {
      (void)gr::read_edge_csv(text);
    } catch (const bq::InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("").find("header"), std::string::npos);
  EXPECT_NE(message("src,dst,amount\na,b,1\n").find("no column 'timestamp'"), std::string::npos);
  EXPECT_NE(message("src,dst,amount,timestamp\na,b,1\n").find("row 1 has 3 fields"), std::string::npos);
  EXPECT_NE(message("src,dst,amount,timestamp\na,b,-1,2\n").find("row 1, column 'amount'"), std::string::npos);
  EXPECT_NE(message("src,dst,amount,timestamp\na,b,nan,2\n").find("column 'amount'"), std::string::npos);
  EXPECT_NE(message("src,dst,amount,timestamp\na,b,1,2.5\n").find("column 'timestamp'"), std::string::npos);
  EXPECT_NE(message("src,dst,amount,timestamp\na,,1,2\n").find("column 'dst'"), std::string::npos);
  EXPECT_NE(message("src,dst,amount,timestamp\n\"a,b,1,2\n").find("not closed"), std::string::npos);
  EXPECT_NE(message("src,dst,amount,timestamp\na,b,1,99999999999999999999\n").find("integer"), std::string::npos);
}

TEST(EdgeBatch, NodeIndexNumbersLikeThePythonPackage) {
  const auto r = gr::read_edge_csv("src,dst,amount,timestamp\nzed,amy,1,1\nbob,zed,1,2\n");
  gr::NodeIndex ids = gr::NodeIndex::sorted(r);
  EXPECT_EQ(ids.encode(r.src), (std::vector<std::int32_t>{2, 1}));  // amy, bob, zed
  EXPECT_EQ(ids.encode(std::vector<std::string>{"new", "amy", "new2", "new"}), (std::vector<std::int32_t>{3, 0, 4, 3}));
  EXPECT_EQ(ids.name(4), "new2");
  EXPECT_EQ(ids.find("bob"), 1);
  EXPECT_EQ(ids.find("nobody"), -1);
  EXPECT_EQ(ids.size(), 5u);
}
