import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import { BarChart } from '../components/BarChart';
import { Loaded } from '../components/Status';
import { dateTime } from '../lib/format';
import { Link } from '../router';

export default function Overview() {
  const overview = useQuery({ queryKey: ['overview'], queryFn: () => must(api.GET('/overview')), refetchInterval: 30_000 });
  return (
    <>
      <h1>Overview</h1>
      <Loaded query={overview} what="the overview">
        {(o) => (
          <>
            <section aria-labelledby="fleet-heading">
              <h2 id="fleet-heading">Fleet</h2>
              {!o.countersComplete && (
                <p role="status">
                  {o.countersCheckedAt
                    ? `The counters are being compared with the database (last found right ${dateTime(o.countersCheckedAt)}); the figures may be short for a while.`
                    : 'The counters are being compared with the database for the first time; the figures may be short for a while.'}
                </p>
              )}
              <dl className="figures">
                <Figure label="Devices in total" value={o.devices.total} />
                <Figure label="Seen in the last hour" value={o.devices.seenLastHour} />
                <Figure label="Seen in the last day" value={o.devices.seenLastDay} />
                <Figure label="Never seen after bootstrap" value={o.devices.neverSeenAfterBootstrap} />
                <Figure label="Open faults" value={o.openFaults} />
                <Figure label="Jobs running" value={o.jobsRunning} />
              </dl>
              <p>
                <Link href="/devices">Find a device</Link> <span className="muted">{`As of ${dateTime(o.at)}.`}</span>
              </p>
            </section>
            <div className="charts">
              <BarChart title="Devices by software version" bars={o.devices.bySoftwareVersion.map((b) => ({ label: b.value || '(unknown)', count: b.count }))} />
              <BarChart title="Devices by product class" bars={o.devices.byProductClass.map((b) => ({ label: b.value || '(unknown)', count: b.count }))} />
            </div>
          </>
        )}
      </Loaded>
    </>
  );
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>{value.toLocaleString('en')}</dd>
    </div>
  );
}
