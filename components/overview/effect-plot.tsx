import type { EffectDto } from "@/lib/queries/compare";

const WIDTH = 320;
const HEIGHT = 44;
const PAD = 14;

type Compared = Extract<EffectDto, { status: "compared" }>;

/** Where a value sits on the plot: ratios on a log₂ scale (2× and 0.5× equally far from 1×), points on a linear one. */
function scaleOf(effect: Compared) {
  const values = [effect.estimate, ...(effect.interval ? [effect.interval.low, effect.interval.high] : [])];
  if (effect.kind === "ratio") {
    const reach = Math.max(1, ...values.map((value) => Math.abs(Math.log2(Math.max(value, 1e-6))))) * 1.15;
    const x = (value: number) => PAD + ((Math.log2(Math.max(value, 1e-6)) + reach) / (2 * reach)) * (WIDTH - 2 * PAD);
    const ticks = [0.25, 0.5, 1, 2, 4, 8].filter((tick) => Math.abs(Math.log2(tick)) <= reach);
    return { x, ticks, label: (tick: number) => `${tick}×` };
  }
  const reach = Math.max(5, ...values.map(Math.abs)) * 1.15;
  const x = (value: number) => PAD + ((value + reach) / (2 * reach)) * (WIDTH - 2 * PAD);
  const step = reach > 40 ? 20 : reach > 20 ? 10 : 5;
  const ticks: number[] = [];
  for (let tick = -Math.floor(reach / step) * step; tick <= reach; tick += step) ticks.push(tick);
  return { x, ticks, label: (tick: number) => `${tick > 0 ? "+" : ""}${tick} pp` };
}

/**
 * The effect and its 95 % interval against the line of no difference (1× or 0 pp), the way a
 * forest plot shows it: a glance tells whether the interval clears the line. Decorative: the
 * sentence next to it says the same in words, so the SVG is hidden from assistive technology.
 */
export function EffectPlot({ effect }: { effect: Compared }) {
  const { x, ticks, label } = scaleOf(effect);
  const neutral = effect.kind === "ratio" ? 1 : 0;
  const mid = 18;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-11 w-full max-w-sm" aria-hidden="true" focusable="false" data-testid="effect-plot">
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={x(tick)} x2={x(tick)} y1={6} y2={30} stroke="var(--chart-grid)" strokeWidth={tick === neutral ? 0 : 1} />
          <text x={x(tick)} y={42} textAnchor="middle" fontSize={10} fill="var(--chart-axis)">
            {label(tick)}
          </text>
        </g>
      ))}
      {/* The line of no difference. */}
      <line x1={x(neutral)} x2={x(neutral)} y1={2} y2={32} stroke="var(--chart-axis)" strokeWidth={1.5} strokeDasharray="3 2" />
      {effect.interval ? (
        <g>
          <line x1={x(effect.interval.low)} x2={x(effect.interval.high)} y1={mid} y2={mid} stroke="var(--cohort-gitops)" strokeWidth={3} strokeLinecap="round" />
          <line x1={x(effect.interval.low)} x2={x(effect.interval.low)} y1={mid - 6} y2={mid + 6} stroke="var(--cohort-gitops)" strokeWidth={2} />
          <line x1={x(effect.interval.high)} x2={x(effect.interval.high)} y1={mid - 6} y2={mid + 6} stroke="var(--cohort-gitops)" strokeWidth={2} />
        </g>
      ) : null}
      <circle cx={x(effect.estimate)} cy={mid} r={5} fill="var(--cohort-gitops)" stroke="var(--surface)" strokeWidth={1.5} />
    </svg>
  );
}
