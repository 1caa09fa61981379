import { useEffect, useId, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { api, must } from '../api';
import { Loaded } from '../components/Status';
import { pointLabel, snapshotClasses, versionSeries, type VersionSeries } from '../lib/firmware';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

// Distinct hues, each with at least 3:1 contrast on white (WCAG's non-text contrast).
const COLOURS = ['#1f5fa8', '#a61b1b', '#1d6b33', '#7a3e9d', '#9a5b00', '#00707a', '#b0306a', '#4a5460'];

/** Software versions over time (the worker's snapshots), for one product class or the whole fleet. */
export function VersionChart() {
  const [productClass, setProductClass] = useState('');
  // a new point comes once per snapshot interval: no use asking more often (nor less than every 5 min)
  const history = useQuery({ queryKey: ['firmware', 'history'], queryFn: () => must(api.GET('/firmware/version-history')), refetchInterval: (q) => Math.min(300, Math.max(10, q.state.data?.intervalSeconds ?? 60)) * 1000 });
  const selectId = useId();
  return (
    <section className="panel wide" aria-labelledby="history-heading">
      <h2 id="history-heading">Software versions over time</h2>
      <Loaded query={history} what="the version history">
        {(h) => {
          const classes = snapshotClasses(h.points);
          const series = versionSeries(h.points, productClass || undefined);
          return (
            <>
              <div className="inline">
                <label htmlFor={selectId}>Product class</label>
                <select id={selectId} value={productClass} onChange={(e) => setProductClass(e.target.value)}>
                  <option value="">All product classes</option>
                  {classes.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
                <span className="muted">{`One snapshot every ${h.intervalSeconds >= 3600 ? `${h.intervalSeconds / 3600} h` : `${h.intervalSeconds} s`} (times in UTC), last 30 days.`}</span>
              </div>
              {h.points.length ? <Lines series={series} labels={series.at.map((at) => pointLabel(at, h.intervalSeconds))} title={`Devices by software version${productClass ? ` (${productClass})` : ''}`} /> : <p>No snapshot yet: the worker takes the first within a minute of starting.</p>}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function Lines({ series, labels, title }: { series: VersionSeries; labels: string[]; title: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const tableId = useId();
  // The series is recomputed on every render; the chart is redrawn only when its figures change.
  const figures = JSON.stringify([series, labels]);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels,
        datasets: series.versions.map((v, i) => ({ label: v.version, data: v.counts, borderColor: COLOURS[i % COLOURS.length], backgroundColor: COLOURS[i % COLOURS.length], pointRadius: 2, tension: 0 })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: 'bottom', labels: { color: '#222' } } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0, color: '#222' } }, x: { ticks: { color: '#222', maxRotation: 0, autoSkip: true } } },
      },
    });
    return () => chart.destroy();
  }, [figures]);
  // The table holds the latest few points: the chart shows the rest of the trend.
  const shown = Math.max(0, series.at.length - 6);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="chart-lines">
        <canvas ref={canvas} role="img" aria-label={`${title}: line chart`} aria-describedby={tableId} />
      </div>
      <div className="table-wrap">
        <table id={tableId} className="compact">
          <caption className="sr-only">{`${title}, latest snapshots`}</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              {labels.slice(shown).map((l, i) => (
                <th key={`${l}-${i}`} scope="col" className="num">
                  {l}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {series.versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">{v.version}</th>
                {v.counts.slice(shown).map((n, i) => (
                  <td key={i} className="num">
                    {n.toLocaleString('en')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
