-- Tickets a help desk can run on (issue 13).
--
-- ticket_key: a random UUID per ticket, unique forever. It is the Idempotency-Key stem and the "key" of the
-- webhook body, because the human number (ELB-1001…) restarts in every fresh database: two deployments, or a
-- restore, would otherwise send the same key for different tickets. ELB numbers stay for people; they may
-- jump: PostgreSQL hands out sequence values in cached batches, and after a kill -9 on PGlite (no clean WAL
-- shutdown) the next number can be 32-33 higher. Gaps are harmless; numbers never repeat within a database.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS ticket_key text;
UPDATE tickets SET ticket_key = gen_random_uuid()::text WHERE ticket_key IS NULL;
ALTER TABLE tickets ALTER COLUMN ticket_key SET NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS tickets_key_idx ON tickets (ticket_key);

-- Contact for the help desk: the clinician's Teams identity (UPN / email from TeamsInfo.getMember) and the
-- callback number they gave for themselves. Both are the clinician's own, not patient data.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS contact_upn text;
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS contact_email text;
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS callback_number text;

-- One open ticket per problem per conversation: a second ask in the same conversation about the same
-- article (problem_key; '' when no article was at hand) adds to the open ticket instead of opening another.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS conversation_id text;
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS problem_key text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX IF NOT EXISTS tickets_one_open_problem_idx ON tickets (conversation_id, problem_key)
  WHERE status IN ('open', 'in-progress') AND conversation_id IS NOT NULL;
