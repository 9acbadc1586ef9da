/**
 * Inter-coder agreement statistics over reliability data (units × coders):
 * Krippendorff's alpha (nominal, ordinal, interval; missing data allowed),
 * Cohen's kappa, Fleiss' kappa and pairwise percent agreement.
 *
 * Pure functions without I/O. Values are compared with SameValueZero (as in a
 * `Map`), so the number 1 and the string "1" are different categories.
 * Malformed input (a unit whose value count differs from the coder count, a
 * value that is neither a string nor a finite number, a level that needs
 * numbers but gets strings) throws; a statistic that is undefined for
 * well-formed data (no pairable values, no variation) comes back as `null`.
 * Multi-valued codes (several choices per unit) are out of scope: callers
 * pass one value per coder and unit.
 */

/** One value a coder gave a unit: a category (string) or a number; null = the coder did not code this unit. */
export type Value = string | number;

/** One unit of analysis: `values[i]` is what `coders[i]` gave it, or null when that coder did not code it. */
export interface ReliabilityUnit {
  id: string;
  values: readonly (Value | null)[];
  /** How many identical units this one stands for (default 1): lets callers compress data. */
  weight?: number;
}

/** Reliability data: units × coders (Krippendorff's layout). Every unit has one slot per coder. */
export interface ReliabilityData {
  coders: readonly string[];
  units: readonly ReliabilityUnit[];
}

/** Level of measurement for Krippendorff's alpha. */
export type Level = "nominal" | "ordinal" | "interval";

/**
 * Krippendorff's alpha and its parts. `observed` is D_o and `expected` is D_e;
 * `pairable` is n, the number of values in units with at least two values;
 * `units` counts those pairable units. `alpha` is null when D_e = 0: no
 * pairable values, or all pairable values equal (no variation to be reliable about).
 */
export interface AlphaResult {
  alpha: number | null;
  observed: number;
  expected: number;
  pairable: number;
  units: number;
}

/**
 * Cohen's or Fleiss' kappa: `observed` is P_o, `expected` is P_e and `units` the
 * units that entered the computation. `kappa` is null when no unit qualifies or
 * P_e = 1 (every rating in one category, so chance explains everything) – in
 * particular perfect agreement on a single category is null, not 1.
 */
export interface KappaResult {
  kappa: number | null;
  observed: number;
  expected: number;
  units: number;
}

/**
 * Pairwise percent agreement: of all `pairs` of values given to the same unit
 * by two different coders, the share that are equal (`agreeing` / `pairs`).
 * `units` counts units with at least two values; `agreement` is null when there are no pairs.
 */
export interface PercentResult {
  agreement: number | null;
  units: number;
  pairs: number;
  agreeing: number;
}

/** The coincidence matrix of Krippendorff (2011): `matrix[c][k]` = o_ck over `values`, with totals n_c and n. */
export interface Coincidences {
  values: Value[];
  matrix: number[][];
  totals: number[];
  pairable: number;
  units: number;
}

/** Each unit's non-missing values with its weight. */
interface Present {
  values: Value[];
  weight: number;
}

/** Checks the layout and the values, returning each unit's non-missing values in coder order and its weight. */
function presentWeighted(data: ReliabilityData): Present[] {
  return presentValues(data).map((values, i) => {
    const weight = data.units[i]?.weight ?? 1;
    if (!(weight >= 0 && Number.isFinite(weight)))
      throw new RangeError(`Unit "${data.units[i]?.id}" has weight ${weight}.`);
    return { values, weight };
  });
}

/** Checks the layout and the values, returning each unit's non-missing values in coder order. */
function presentValues(data: ReliabilityData): Value[][] {
  const width = data.coders.length;
  return data.units.map((unit) => {
    if (unit.values.length !== width) {
      throw new RangeError(
        `Unit "${unit.id}" has ${unit.values.length} values for ${width} coders.`,
      );
    }
    const present: Value[] = [];
    for (const value of unit.values) {
      if (value === null) continue;
      if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) {
        present.push(value);
      } else {
        throw new TypeError(
          `Unit "${unit.id}" has ${String(value)}: values must be strings or finite numbers.`,
        );
      }
    }
    return present;
  });
}

/** Numbers ascending first, then strings by UTF-16 code units (locale-independent). */
function compareValues(a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Counts how often each value occurs in a list. */
function tally(values: readonly Value[]): Map<Value, number> {
  const counts = new Map<Value, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/**
 * The value axis: for ordinal data with an `order`, its ranks (every value must
 * appear in it, once); otherwise the distinct pairable values, sorted when ordered.
 */
function valueAxis(units: readonly Value[][], level: Level, order?: readonly Value[]): Value[] {
  if (level === "ordinal" && order !== undefined) {
    if (new Set(order).size !== order.length) {
      throw new RangeError("The ordinal order lists a value twice.");
    }
    const known = new Set(order);
    for (const values of units) {
      for (const value of values) {
        if (!known.has(value)) {
          throw new RangeError(`Value ${JSON.stringify(value)} is missing from the ordinal order.`);
        }
      }
    }
    return [...order];
  }
  if (level === "interval") {
    const text = units.flat().find((value) => typeof value !== "number");
    if (text !== undefined) {
      throw new TypeError(`Interval alpha needs numbers, got ${JSON.stringify(text)}.`);
    }
  }
  const axis = [...new Set(units.filter((values) => values.length >= 2).flat())];
  return level === "nominal" ? axis : axis.sort(compareValues);
}

/** Builds o_ck: each unit with m_u ≥ 2 values adds n_uc·(n_uk − [c=k]) / (m_u − 1). */
function coincidenceMatrix(units: readonly Present[], axis: readonly Value[]): Coincidences {
  const index = new Map(axis.map((value, i) => [value, i] as const));
  const matrix = axis.map(() => axis.map(() => 0));
  let pairableUnits = 0;
  let pairable = 0;
  for (const { values, weight } of units) {
    const m = values.length;
    if (m < 2) continue;
    pairableUnits += weight;
    pairable += m * weight;
    const counts = [...tally(values)].map(([value, count]) => [index.get(value) ?? -1, count]);
    for (const [c = -1, nc = 0] of counts) {
      const row = matrix[c];
      if (row === undefined) continue;
      for (const [k = -1, nk = 0] of counts) {
        if (row[k] === undefined) continue;
        row[k] += (weight * nc * (c === k ? nk - 1 : nk)) / (m - 1);
      }
    }
  }
  const totals = matrix.map((row) => row.reduce((sum, o) => sum + o, 0));
  return { values: [...axis], matrix, totals, pairable, units: pairableUnits };
}

/**
 * The coincidence matrix of the data (Krippendorff 2011, section C): one row and
 * column per value (ranked by `order` or sorted for ordinal/interval), from units
 * with at least two values. Throws like {@link krippendorffAlpha}.
 */
export function coincidences(
  data: ReliabilityData,
  level: Level = "nominal",
  order?: readonly Value[],
): Coincidences {
  const units = presentWeighted(data);
  return coincidenceMatrix(
    units,
    valueAxis(
      units.filter((u) => u.weight > 0).map((u) => u.values),
      level,
      order,
    ),
  );
}

/** δ²_ck for the level: nominal [c≠k]; interval (c−k)²; ordinal (Σ_{g=c..k} n_g − (n_c+n_k)/2)². */
function differences(level: Level, axis: readonly Value[], totals: readonly number[]): number[][] {
  if (level === "nominal") return axis.map((_, c) => axis.map((_, k) => (c === k ? 0 : 1)));
  if (level === "interval") {
    return axis.map((c) => axis.map((k) => (Number(c) - Number(k)) ** 2));
  }
  // Cumulative marginals: below[i] = n_0 + … + n_{i−1} over the ranked axis.
  const below = [0];
  for (const n of totals) below.push((below.at(-1) ?? 0) + n);
  return axis.map((_, c) =>
    axis.map((_, k) => {
      const lo = Math.min(c, k);
      const hi = Math.max(c, k);
      const span = (below[hi + 1] ?? 0) - (below[lo] ?? 0);
      return (span - ((totals[c] ?? 0) + (totals[k] ?? 0)) / 2) ** 2;
    }),
  );
}

/**
 * Krippendorff's alpha via the coincidence matrix, with missing data
 * (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
 * α = 1 − D_o/D_e with D_o = (1/n) Σ_c Σ_k o_ck δ²_ck and
 * D_e = (1/(n(n−1))) Σ_c Σ_k n_c n_k δ²_ck, where n counts the pairable values
 * (units with fewer than two values are left out). Ordinal ranks come from
 * `order` (lowest first; every value must be listed), else from the sorted
 * values (numbers ascending, then strings by code unit); `order` is ignored for
 * nominal and interval data. Interval data must be numbers. `alpha` is null
 * when D_e = 0 (nothing pairable, or no variation).
 */
export function krippendorffAlpha(
  data: ReliabilityData,
  level: Level,
  order?: readonly Value[],
): AlphaResult {
  const { values, matrix, totals, pairable, units } = coincidences(data, level, order);
  if (pairable < 2) return { alpha: null, observed: 0, expected: 0, pairable, units };
  const delta = differences(level, values, totals);
  let observed = 0;
  let expected = 0;
  for (const [c, row] of matrix.entries()) {
    for (const [k, o] of row.entries()) {
      const d = delta[c]?.[k] ?? 0;
      observed += o * d;
      expected += (totals[c] ?? 0) * (totals[k] ?? 0) * d;
    }
  }
  observed /= pairable;
  expected /= pairable * (pairable - 1);
  const alpha = expected === 0 ? null : 1 - observed / expected;
  return { alpha, observed, expected, pairable, units };
}

/**
 * Cohen's kappa for exactly two coders (throws otherwise), over the units both
 * coded: κ = (P_o − P_e)/(1 − P_e) with P_o the share of equal values and
 * P_e = Σ_k p_1k·p_2k from each coder's own marginal proportions.
 * Null when no unit was coded by both or P_e = 1.
 */
export function cohensKappa(data: ReliabilityData): KappaResult {
  if (data.coders.length !== 2) {
    throw new RangeError(`Cohen's kappa needs exactly 2 coders, got ${data.coders.length}.`);
  }
  presentValues(data);
  const first = new Map<Value, number>();
  const second = new Map<Value, number>();
  let units = 0;
  let agree = 0;
  for (const unit of data.units) {
    const [a = null, b = null] = unit.values;
    const weight = unit.weight ?? 1;
    if (a === null || b === null || weight === 0) continue;
    units += weight;
    if (a === b) agree += weight;
    first.set(a, (first.get(a) ?? 0) + weight);
    second.set(b, (second.get(b) ?? 0) + weight);
  }
  if (units === 0) return { kappa: null, observed: 0, expected: 0, units };
  let chance = 0;
  for (const [value, count] of first) chance += count * (second.get(value) ?? 0);
  const observed = agree / units;
  const expected = chance / (units * units);
  const kappa = chance === units * units ? null : (observed - expected) / (1 - expected);
  return { kappa, observed, expected, units };
}

/**
 * Fleiss' kappa (Fleiss 1971) over the units that every coder coded; units with
 * any missing value are skipped (choice: a fixed rater count per unit, the
 * coders of the data), so `units` may be fewer than `data.units`. Needs at
 * least 2 coders (throws otherwise). With r coders and N units:
 * P_i = (Σ_j n_ij² − r)/(r(r−1)), P_o = mean P_i, p_j = Σ_i n_ij/(N r),
 * P_e = Σ_j p_j², κ = (P_o − P_e)/(1 − P_e). Null when no unit is complete or P_e = 1.
 */
export function fleissKappa(data: ReliabilityData): KappaResult {
  const raters = data.coders.length;
  if (raters < 2) throw new RangeError(`Fleiss' kappa needs at least 2 coders, got ${raters}.`);
  const complete = presentWeighted(data).filter(
    (unit) => unit.values.length === raters && unit.weight > 0,
  );
  const units = complete.reduce((sum, unit) => sum + unit.weight, 0);
  if (units === 0) return { kappa: null, observed: 0, expected: 0, units };
  const totals = new Map<Value, number>();
  let agreement = 0;
  for (const { values, weight } of complete) {
    let squares = 0;
    for (const [value, count] of tally(values)) {
      squares += count * count;
      totals.set(value, (totals.get(value) ?? 0) + count * weight);
    }
    agreement += (weight * (squares - raters)) / (raters * (raters - 1));
  }
  const all = units * raters;
  let squaredTotals = 0;
  for (const count of totals.values()) squaredTotals += count * count;
  const observed = agreement / units;
  const expected = squaredTotals / (all * all);
  const kappa = squaredTotals === all * all ? null : (observed - expected) / (1 - expected);
  return { kappa, observed, expected, units };
}

/**
 * Pairwise percent agreement over all pairable value pairs: every unit with
 * m_u ≥ 2 values contributes m_u(m_u−1)/2 coder pairs, of which Σ_c n_uc(n_uc−1)/2
 * agree; agreement = agreeing/pairs (units with more coders weigh more). Null without pairs.
 */
export function percentAgreement(data: ReliabilityData): PercentResult {
  let units = 0;
  let pairs = 0;
  let agreeing = 0;
  for (const { values, weight } of presentWeighted(data)) {
    const m = values.length;
    if (m < 2 || weight === 0) continue;
    units += weight;
    pairs += (weight * m * (m - 1)) / 2;
    for (const count of tally(values).values()) agreeing += (weight * count * (count - 1)) / 2;
  }
  return { agreement: pairs === 0 ? null : agreeing / pairs, units, pairs, agreeing };
}
