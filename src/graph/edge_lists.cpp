#include <algorithm>
#include <numeric>

#include "bankquant/graph/detail/edge_lists.hpp"

namespace bankquant::graph::detail {

void EdgeLists::build(std::size_t n, std::span<const std::int32_t> key, std::span<const std::int64_t> time) {
  std::vector<std::size_t> offsets(n + 1, 0);
  for (std::int32_t v : key) ++offsets[static_cast<std::size_t>(v) + 1];
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  ids_.assign(key.size(), 0);
  std::vector<std::size_t> cursor(offsets.begin(), offsets.end() - 1);
  for (std::size_t e = 0; e < key.size(); ++e) ids_[cursor[static_cast<std::size_t>(key[e])]++] = static_cast<std::int32_t>(e);
  start_.assign(offsets.begin(), offsets.end() - 1);
  count_.resize(n);
  for (std::size_t v = 0; v < n; ++v) count_[v] = static_cast<std::int32_t>(offsets[v + 1] - offsets[v]);
  room_ = count_;
  abandoned_ = 0;
  n_ = n;
  if (!time.empty()) {  // ids are already in id order within a node: a stable sort by time gives (time, id)
    for (std::size_t v = 0; v < n; ++v) {
      std::stable_sort(ids_.begin() + static_cast<std::ptrdiff_t>(offsets[v]), ids_.begin() + static_cast<std::ptrdiff_t>(offsets[v + 1]),
                       [&](std::int32_t a, std::int32_t b) { return time[static_cast<std::size_t>(a)] < time[static_cast<std::size_t>(b)]; });
    }
  }
}

void EdgeLists::append(std::size_t n, std::span<const std::int32_t> key, std::int32_t first_id,
                       std::span<const std::int64_t> time) {
  if (n > start_.size()) {
    start_.resize(n, ids_.size());
    count_.resize(n, 0);
    room_.resize(n, 0);
    n_ = n;
  }
  auto earlier = [&](std::int32_t a, std::int32_t b) {
    return std::pair{time[static_cast<std::size_t>(a)], a} < std::pair{time[static_cast<std::size_t>(b)], b};
  };
  // the batch grouped by node, each group in (time, id) order
  std::vector<std::int32_t> batch(key.size());
  std::iota(batch.begin(), batch.end(), first_id);
  std::sort(batch.begin(), batch.end(), [&](std::int32_t a, std::int32_t b) {
    const auto ka = key[static_cast<std::size_t>(a - first_id)], kb = key[static_cast<std::size_t>(b - first_id)];
    return ka != kb ? ka < kb : earlier(a, b);
  });
  for (std::size_t b = 0; b < batch.size();) {
    const auto v = static_cast<std::size_t>(key[static_cast<std::size_t>(batch[b] - first_id)]);
    std::size_t e = b;
    while (e < batch.size() && static_cast<std::size_t>(key[static_cast<std::size_t>(batch[e] - first_id)]) == v) ++e;
    const auto added = static_cast<std::int32_t>(e - b);
    if (count_[v] + added > room_[v]) {  // move the list to the end with an eighth more room
      const std::int32_t room = count_[v] + added + std::max(4, (count_[v] + added) / 8);
      const std::size_t to = ids_.size();
      // grow by a tenth at a time, not by vector's doubling
      if (to + static_cast<std::size_t>(room) > ids_.capacity()) ids_.reserve(to + to / 10 + static_cast<std::size_t>(room));
      ids_.resize(to + static_cast<std::size_t>(room));
      std::copy_n(ids_.begin() + static_cast<std::ptrdiff_t>(start_[v]), count_[v], ids_.begin() + static_cast<std::ptrdiff_t>(to));
      abandoned_ += static_cast<std::size_t>(room_[v]);
      start_[v] = to;
      room_[v] = room;
    }
    const auto first = ids_.begin() + static_cast<std::ptrdiff_t>(start_[v]);
    const auto middle = first + count_[v];
    std::copy(batch.begin() + static_cast<std::ptrdiff_t>(b), batch.begin() + static_cast<std::ptrdiff_t>(e), middle);
    if (middle != first && earlier(*middle, *(middle - 1))) std::inplace_merge(first, middle, middle + added, earlier);
    count_[v] += added;
    b = e;
  }
  if (abandoned_ > ids_.size() / 3) compact();
}

void EdgeLists::compact() {
  std::vector<std::int32_t> packed;
  packed.reserve(ids_.size() - abandoned_);
  for (std::size_t v = 0; v < start_.size(); ++v) {
    const std::size_t to = packed.size();
    packed.insert(packed.end(), ids_.begin() + static_cast<std::ptrdiff_t>(start_[v]),
                  ids_.begin() + static_cast<std::ptrdiff_t>(start_[v] + static_cast<std::size_t>(room_[v])));
    start_[v] = to;
  }
  ids_.swap(packed);
  abandoned_ = 0;
}

std::size_t EdgeLists::memory_bytes() const {
  return ids_.capacity() * sizeof(std::int32_t) + start_.capacity() * sizeof(std::size_t) +
         (count_.capacity() + room_.capacity()) * sizeof(std::int32_t);
}

}  // namespace bankquant::graph::detail
