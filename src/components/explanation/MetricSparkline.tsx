import { FieldType, FieldSparkline } from '@grafana/data';
import { Sparkline, useTheme2 } from '@grafana/ui';

interface Props {
  values: number[];
  label: string;
}

const WIDTH = 220;
const HEIGHT = 40;

/** A sparkline of an evidence item's points, with the numbers also in text. */
export function MetricSparkline({ values, label }: Props) {
  const theme = useTheme2();
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length < 2) {
    return null;
  }
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  // Sparkline scales its y axis from the field's precomputed range, as Grafana's
  // field display pipeline would have set it.
  const sparkline: FieldSparkline = {
    y: {
      name: label,
      type: FieldType.number,
      values: finite,
      config: {},
      state: { range: { min, max, delta: max - min } },
    },
  };
  const last = finite[finite.length - 1];
  const round = (v: number) => Number(v.toPrecision(4));
  return (
    <figure aria-label={`Sparkline of ${label}`} style={{ margin: 0 }}>
      <Sparkline width={WIDTH} height={HEIGHT} sparkline={sparkline} theme={theme} />
      <figcaption>
        min {round(min)}, max {round(max)}, last {round(last)} ({finite.length} points)
      </figcaption>
    </figure>
  );
}
