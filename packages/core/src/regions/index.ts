// @alipay-kit/core/regions: national divisions and region matching alone (no Node built-ins), for
// browsers: the React kit's address picker loads it lazily, in a chunk of its own.

export {
  type Division,
  type DivisionTree,
  divisionTree,
  isPlaceholderCity,
  MUNICIPALITY_CODES,
} from './divisions.js'
export {
  type MatchConfidence,
  type MatchMethod,
  matchRegion,
  type RegionMatch,
  type RegionNames,
} from './match.js'
export { coreName } from './names.js'
