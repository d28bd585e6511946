// Chart.js, tree-shaken to a line chart; imported dynamically by the HR page only.
import { Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Tooltip);

export function drawActivity(canvas: HTMLCanvasElement, items: { day: string; active_members: number }[], label: string) {
  const css = getComputedStyle(document.documentElement);
  const color = css.getPropertyValue('--brand-primary').trim() || '#1d4ed8';
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels: items.map((i) => i.day),
      datasets: [{ label, data: items.map((i) => i.active_members), borderColor: color, backgroundColor: color + '33', fill: true, tension: 0.25 }],
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}
