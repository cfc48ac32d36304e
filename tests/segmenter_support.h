// The process's MeCab segmenter for tests that segment text directly: made
// once (loading the dictionary is the slow part), a failure reported as a
// test failure and nullptr.
#ifndef FISCDEX_TESTS_SEGMENTER_SUPPORT_H_
#define FISCDEX_TESTS_SEGMENTER_SUPPORT_H_

#include <gtest/gtest.h>

#include <memory>

#include "index/mecab_segmenter.h"

namespace fiscdex::testing {

inline std::shared_ptr<index::MecabSegmenter> Segmenter() {
  static std::shared_ptr<index::MecabSegmenter> segmenter = [] {
    auto created = index::MecabSegmenter::Create();
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : nullptr;
  }();
  return segmenter;
}

}  // namespace fiscdex::testing

#endif  // FISCDEX_TESTS_SEGMENTER_SUPPORT_H_
