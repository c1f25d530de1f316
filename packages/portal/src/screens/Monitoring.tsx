// Monitoring: the request log, charts, rate-limit and fault settings. They arrive with the request
// log (the limits issue); until then this screen says so and points at what already works.
export function Monitoring() {
  return (
    <section className="screen">
      <h1>Monitoring</h1>
      <section className="card card-soon" aria-labelledby="soon-heading">
        <h2 id="soon-heading">Arrives with the request log</h2>
        <p>
          This screen will show every API call of your integrations — filter by integration, status, error code and route; open one to see
          its request id, error body and duration (never a token) and, for a <code>404</code>, whether the object exists but is not shared —
          with charts of requests per minute by status, <code>429</code>s and p50/p95 latency, plus rate-limit and fault-injection settings per integration.
        </p>
        <p className="muted small">
          Until then: every API response carries <code>x-notion-request-id</code>, and the server log (<code>"log_level": "info"</code> in
          <code> --config</code>) records each request.
        </p>
      </section>
    </section>
  );
}
