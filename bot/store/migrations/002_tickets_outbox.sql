-- Help-desk tickets and their delivery outbox (bot/escalation). A ticket and its outbox rows are written in
-- one transaction; workers claim due outbox rows with FOR UPDATE SKIP LOCKED and a lease, so several bot
-- instances share the work and a row held by a crashed worker is taken again when its lease expires.
-- Transcripts are stored only after PHI redaction (bot/escalation/redact.ts).

-- Human-friendly ticket numbers: ELB-1001, ELB-1002, ... (gaps after a rollback are fine).
CREATE SEQUENCE IF NOT EXISTS ticket_number_seq START WITH 1001;

CREATE TABLE IF NOT EXISTS tickets (
  id               text        PRIMARY KEY,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  user_id          text        NOT NULL,
  user_name        text        NOT NULL DEFAULT '',
  role             text        NOT NULL,
  urgency          text        NOT NULL CHECK (urgency IN ('normal', 'urgent')),
  queue            text        NOT NULL,
  status           text        NOT NULL CHECK (status IN ('open', 'in-progress', 'resolved', 'closed')),
  status_note      text,
  articles_tried   jsonb       NOT NULL DEFAULT '[]'::jsonb,
  transcript       jsonb       NOT NULL DEFAULT '[]'::jsonb,
  conversation_ref jsonb
);

CREATE INDEX IF NOT EXISTS tickets_user_idx ON tickets (user_id, created_at);
CREATE INDEX IF NOT EXISTS tickets_status_idx ON tickets (status, created_at);
CREATE INDEX IF NOT EXISTS tickets_created_idx ON tickets (created_at);

CREATE TABLE IF NOT EXISTS outbox (
  id              bigserial   PRIMARY KEY,
  ticket_id       text        NOT NULL REFERENCES tickets (id),
  channel         text        NOT NULL,
  idempotency_key text        NOT NULL UNIQUE,
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  locked_until    timestamptz,
  locked_by       text,
  last_error      text,
  created_at      timestamptz NOT NULL,
  delivered_at    timestamptz
);

CREATE INDEX IF NOT EXISTS outbox_due_idx ON outbox (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS outbox_ticket_idx ON outbox (ticket_id);
