/**
 * A horizontal bar chart (Chart.js, only the parts used are bundled). The canvas is described
 * for screen readers by the table next to it, which carries the same figures.
 */
import { useEffect, useId, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export interface Bar {
  label: string;
  count: number;
}

export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const tableId = useId();
  const rest = title.replace(/^Devices by /, '');
  const category = rest.charAt(0).toUpperCase() + rest.slice(1);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels: bars.map((b) => b.label), datasets: [{ label: 'devices', data: bars.map((b) => b.count), backgroundColor: '#1f5fa8' }] },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { tooltip: { enabled: true } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0, color: '#222' } }, y: { ticks: { color: '#222' } } },
      },
    });
    return () => chart.destroy();
  }, [bars]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div style={{ height: `${Math.max(120, bars.length * 28 + 40)}px` }}>
        <canvas ref={canvas} role="img" aria-label={`${title}: bar chart`} aria-describedby={tableId} />
      </div>
      <table id={tableId} className="compact">
        <caption className="sr-only">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{category}</th>
            <th scope="col" className="num">
              Devices
            </th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <td>{b.label}</td>
              <td className="num">{b.count.toLocaleString('en')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
