import { jobFigures, type JobLike } from '../lib/jobs';

/** A job's progress bar with its figure as text, for eyes and screen readers alike. */
export function JobProgressBar({ job, label }: { job: JobLike; label: string }) {
  const f = jobFigures(job);
  return (
    <span className="job-progress">
      <progress max={100} value={f.percent} aria-label={label} />
      <span>{`${f.percent} %`}</span>
    </span>
  );
}
