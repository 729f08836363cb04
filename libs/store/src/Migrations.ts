/**
 * The store's schema as an ordered list of versioned migrations. A migration is never edited once released:
 * a change is a new migration at the end (the migrator refuses to run when an applied one has changed).
 *
 * @since 0.1.0
 */

/**
 * One schema change: a version (1, 2, 3, ... without gaps), a short name and the SQL it runs. The SQL is plain
 * PostgreSQL that PGlite runs unchanged, and names tables without a schema so they land in the connection's
 * `search_path`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

const referenceData = `
CREATE TABLE bodies (
  code text PRIMARY KEY,
  ods_code text,
  gss_code text,
  name text NOT NULL,
  kind text NOT NULL,
  statutory boolean NOT NULL,
  opened date NOT NULL,
  closed date,
  source text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (closed IS NULL OR closed > opened)
);
CREATE TABLE relationships (
  type text NOT NULL,
  from_code text NOT NULL,
  to_code text NOT NULL,
  opened date NOT NULL,
  closed date,
  source text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (type, from_code, to_code, opened),
  CHECK (closed IS NULL OR closed > opened)
);
CREATE TABLE successions (
  predecessor text NOT NULL,
  successor text NOT NULL,
  date date NOT NULL,
  type text NOT NULL,
  source text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (predecessor, successor, date)
);
CREATE TABLE areas (
  code text PRIMARY KEY,
  name text,
  population bigint,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE coverage (
  lookup text NOT NULL,
  area_code text NOT NULL,
  body_code text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (lookup, area_code, body_code)
);
CREATE INDEX coverage_body ON coverage (lookup, body_code);
CREATE TABLE delegations (
  function text NOT NULL,
  delegator text NOT NULL,
  delegate text NOT NULL,
  population text NOT NULL,
  opened date NOT NULL,
  closed date,
  level text,
  source text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (function, delegator, delegate, population, opened),
  CHECK (closed IS NULL OR closed > opened)
);
CREATE TABLE budgets (
  body_code text NOT NULL,
  financial_year text NOT NULL,
  scope text NOT NULL,
  amount_pence bigint NOT NULL,
  admin_cap_pence bigint,
  source text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (body_code, financial_year, scope)
);
`

// Every canonical record table carries where it came from (plugin, stream) and when it was first and last
// written; its natural key is its primary key, so replaying a page upserts instead of duplicating.
const records = `
CREATE TABLE council_spend_lines (
  council text NOT NULL,
  source text NOT NULL,
  transaction_number text NOT NULL,
  line integer NOT NULL,
  payment_date date NOT NULL,
  amount_pence bigint NOT NULL,
  supplier text NOT NULL,
  body_name text,
  service text,
  expense_type text,
  category text,
  capital_or_revenue text,
  description text,
  markers jsonb NOT NULL DEFAULT '[]',
  plugin text NOT NULL,
  stream text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (council, source, transaction_number, line)
);
CREATE TABLE contract_activity_lines (
  contract_id text NOT NULL,
  financial_year text NOT NULL,
  month integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  point_of_delivery text NOT NULL,
  specialty text NOT NULL,
  hrg text NOT NULL DEFAULT '',
  provider_code text NOT NULL,
  commissioner_code text NOT NULL,
  planned_activity integer NOT NULL,
  actual_activity integer NOT NULL,
  planned_cost_pence bigint NOT NULL,
  actual_cost_pence bigint NOT NULL,
  plugin text NOT NULL,
  stream text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contract_id, financial_year, month, point_of_delivery, specialty, hrg)
);
CREATE INDEX contract_activity_lines_commissioner ON contract_activity_lines (commissioner_code, financial_year, month);
CREATE TABLE allocations (
  organisation_code text NOT NULL,
  financial_year text NOT NULL,
  allocation_type text NOT NULL,
  amount_pence bigint NOT NULL,
  published_on date NOT NULL,
  plugin text NOT NULL,
  stream text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_code, financial_year, allocation_type)
);
CREATE TABLE budget_lines (
  organisation text NOT NULL,
  financial_year text NOT NULL,
  service_code text NOT NULL,
  expense_code text NOT NULL,
  service text NOT NULL,
  expense_type text NOT NULL,
  capital_or_revenue text NOT NULL CHECK (capital_or_revenue IN ('capital', 'revenue')),
  budget_pence bigint NOT NULL,
  revised_budget_pence bigint,
  plugin text NOT NULL,
  stream text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation, financial_year, service_code, expense_code)
);
CREATE TABLE pooled_fund_statements (
  fund_id text NOT NULL,
  financial_year text NOT NULL,
  month integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  partner text NOT NULL,
  fund_name text NOT NULL,
  host text NOT NULL,
  partner_kind text NOT NULL CHECK (partner_kind IN ('council', 'nhs')),
  planned_pence bigint NOT NULL,
  contributed_pence bigint NOT NULL,
  spent_pence bigint NOT NULL,
  plugin text NOT NULL,
  stream text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (fund_id, financial_year, month, partner)
);
CREATE TABLE pooled_fund_contributions (
  fund_id text NOT NULL,
  financial_year text NOT NULL,
  month integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  partner_code text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  amount_pence bigint NOT NULL,
  reference text,
  plugin text NOT NULL,
  stream text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (fund_id, financial_year, month, partner_code, version)
);
CREATE TABLE acknowledgements (
  kind text NOT NULL,
  submission_id text NOT NULL,
  idempotency_key text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
  received_at text NOT NULL,
  duplicate boolean NOT NULL,
  reasons jsonb NOT NULL DEFAULT '[]',
  plugin text NOT NULL,
  stream text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, submission_id)
);
CREATE INDEX acknowledgements_idempotency_key ON acknowledgements (idempotency_key);

CREATE TABLE quarantined_rows (
  id bigserial PRIMARY KEY,
  plugin text NOT NULL,
  stream text NOT NULL,
  line integer NOT NULL,
  raw text NOT NULL,
  raw_digest text NOT NULL,
  reasons jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (plugin, stream, line, raw_digest)
);
CREATE TABLE stream_cursors (
  plugin text NOT NULL,
  stream text NOT NULL,
  cursor text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plugin, stream)
);
`

const outbox = `
CREATE TABLE submission_outbox (
  id bigserial PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  plugin text NOT NULL,
  kind text NOT NULL,
  body text NOT NULL,
  period text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  supersedes text REFERENCES submission_outbox (idempotency_key),
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'prepared' CHECK (status IN ('prepared', 'sent', 'acknowledged', 'rejected', 'failed')),
  receipt jsonb,
  acknowledgement jsonb,
  reasons jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (plugin, kind, body, period, version),
  CHECK ((version = 1) = (supersedes IS NULL))
);
CREATE INDEX submission_outbox_status ON submission_outbox (status, created_at);
`

const auditAndKeys = `
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_key text NOT NULL,
  before jsonb,
  after jsonb
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_key, id);
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  name text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  scopes text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
`

// Contracts between commissioners and providers (record kind `contract`); activity lines refer to them by
// contract_id, without a foreign key: the two streams arrive independently and in either order.
const contracts = `
CREATE TABLE contracts (
  contract_id text PRIMARY KEY,
  commissioner_code text NOT NULL,
  provider_code text NOT NULL,
  provider_name text,
  financial_year text NOT NULL,
  contract_type text NOT NULL CHECK (contract_type IN ('acute', 'mental-health', 'community', 'ambulance', 'specialist')),
  start_date date NOT NULL,
  end_date date,
  annual_value_pence bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'expired')),
  plugin text NOT NULL,
  stream text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX contracts_commissioner ON contracts (commissioner_code, financial_year);
CREATE INDEX contracts_provider ON contracts (provider_code, financial_year);
`

// Delegations recorded through the API, whole as the kernel checks them: the stable \`id\` people name them by
// (unique: a second record under a taken id is refused), a joint delegate's members and the population as arrays,
// and \`seq\` for paging in the order they were recorded.
const recordedDelegations = `
CREATE TABLE recorded_delegations (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  function text NOT NULL,
  delegator text NOT NULL,
  delegate_kind text NOT NULL CHECK (delegate_kind IN ('Body', 'Joint')),
  delegate_codes text[] NOT NULL CHECK (cardinality(delegate_codes) >= 1),
  population text[] NOT NULL CHECK (cardinality(population) >= 1),
  opened date NOT NULL,
  closed date,
  level text,
  status text NOT NULL CHECK (status IN ('agreed', 'proposed')),
  source text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (closed IS NULL OR closed > opened)
);
CREATE INDEX recorded_delegations_function ON recorded_delegations (function, seq);
`

// Idempotency-Key records of the gateway, per client (the API key id) and key: the request's fingerprint, whether
// it is still in flight or completed with the response to replay, and when the record may be forgotten (for an
// in-flight record, the end of its lease: a request that died holding a key does not block it for ever).
const idempotencyKeys = `
CREATE TABLE idempotency_keys (
  key_owner text NOT NULL,
  idempotency_key text NOT NULL,
  fingerprint text NOT NULL,
  state text NOT NULL CHECK (state IN ('in-flight', 'completed')),
  response_status integer,
  response_content_type text,
  response_body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (key_owner, idempotency_key),
  CHECK ((state = 'completed') = (response_status IS NOT NULL))
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);
`

// Budget positions recomputed by the hub after each ingest (libs/hub Positions.ts), one row per body, financial
// year, basis (what the plan and actuals come from) and month; and coverage of areas over time, as the bundled
// geography describes it (the `coverage` table keeps per-lookup snapshots without periods).
const positionsAndGeography = `
CREATE TABLE budget_positions (
  body_code text NOT NULL,
  financial_year text NOT NULL,
  basis text NOT NULL CHECK (basis IN ('council-budget', 'commissioner-allocation', 'pooled-fund')),
  month integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  annual_plan_pence bigint NOT NULL,
  plan_to_date_pence bigint NOT NULL,
  actual_to_date_pence bigint NOT NULL,
  variance_pence bigint NOT NULL,
  forecast_outturn_pence bigint NOT NULL,
  forecast_method text NOT NULL CHECK (forecast_method IN ('run-rate', 'supplied')),
  forecast_variance_pence bigint NOT NULL,
  overspend boolean NOT NULL,
  admin_planned_pence bigint NOT NULL,
  admin_actual_to_date_pence bigint NOT NULL,
  admin_forecast_outturn_pence bigint NOT NULL,
  admin_cap_pence bigint,
  admin_headroom_pence bigint,
  admin_breach boolean NOT NULL,
  flags jsonb NOT NULL DEFAULT '[]',
  source_rows integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (body_code, financial_year, basis, month)
);
CREATE TABLE area_coverage (
  area_code text NOT NULL,
  role text NOT NULL CHECK (role IN ('health', 'council')),
  body_code text NOT NULL,
  opened date NOT NULL,
  closed date,
  source text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (area_code, role, body_code, opened),
  CHECK (closed IS NULL OR closed > opened)
);
CREATE INDEX area_coverage_body ON area_coverage (body_code, role);
CREATE INDEX council_spend_lines_council_date ON council_spend_lines (council, payment_date);
`

/**
 * The statements of a migration, one by one: the extended query protocol the driver speaks runs one statement
 * per message. Migration SQL keeps semicolons for statement ends only (no string literals containing them).
 *
 * @category migrations
 * @since 0.1.0
 */
export const statements = (migration: Migration): ReadonlyArray<string> =>
  migration.sql.split(/;\s*(?:\n|$)/u).map((s) => s.trim()).filter((s) => s.length > 0)

/**
 * Every migration, oldest first.
 *
 * @category migrations
 * @since 0.1.0
 */
export const all: ReadonlyArray<Migration> = [
  { version: 1, name: "reference data, delegations, budgets", sql: referenceData },
  { version: 2, name: "canonical records, quarantine, stream cursors", sql: records },
  { version: 3, name: "submission outbox", sql: outbox },
  { version: 4, name: "audit log and api keys", sql: auditAndKeys },
  { version: 5, name: "contracts", sql: contracts },
  { version: 6, name: "recorded delegations", sql: recordedDelegations },
  { version: 7, name: "budget positions, area coverage over time", sql: positionsAndGeography },
  { version: 8, name: "idempotency keys", sql: idempotencyKeys }
]
