-- Bot Framework state (UserState, ConversationState) through bot/store/bot-storage.ts.
-- One row per storage key; etag changes on every write (optimistic concurrency between instances).

CREATE TABLE IF NOT EXISTS bot_state (
  key        text        PRIMARY KEY,
  value      jsonb       NOT NULL,
  etag       text        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
