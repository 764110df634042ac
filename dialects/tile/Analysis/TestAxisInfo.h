// A pass that reports the axis info of every value, for lit tests of the analysis.
#ifndef TEGULA_DIALECTS_TILE_ANALYSIS_TESTAXISINFO_H
#define TEGULA_DIALECTS_TILE_ANALYSIS_TESTAXISINFO_H

namespace tegula::tile {
/// Registers `-tegula-test-axis-info`: a remark per integer or pointer value of each
/// function, on the op that defines it (block arguments on the op owning the block).
void registerTestAxisInfoPass();
} // namespace tegula::tile

#endif
