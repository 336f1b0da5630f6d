#include "workpapers/store/pg_guards.h"

namespace tickmark::schema {

// Role names have at most 63 bytes, as database names: the team's is cut to fit.
const char* teamRoleSql() { return "left(current_database(), 58) || '_team'"; }

// The trail's hash (workpapers/trail.cpp trailHash) recomputed by the server: each field as
// <byte length>:<bytes>, a NULL as "~". Functions run as their owner (SECURITY DEFINER: the
// auditors' roles may not write trail_stamp themselves) with a fixed search_path, so a table an
// auditor makes elsewhere cannot stand in for the engagement's.
const char* serverGuards() {
    return R"sql(
CREATE TABLE trail_stamp (
  seq          BIGINT PRIMARY KEY,   -- the trail entry
  server_role  TEXT NOT NULL,        -- the login the server authenticated (session_user)
  server_at    TEXT NOT NULL,        -- the server's clock when the entry was appended, UTC, as the trail writes times
  xact         XID8 NOT NULL         -- the transaction that appended it
);
CREATE TRIGGER trail_stamp_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON trail_stamp
  FOR EACH STATEMENT EXECUTE FUNCTION tickmark_append_only('the server''s trail stamps are append-only');

CREATE FUNCTION tickmark_trail_field(v text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN '\x7e'::bytea
              ELSE convert_to(octet_length(convert_to(v, 'UTF8'))::text || ':', 'UTF8') || convert_to(v, 'UTF8') END
$$;

CREATE FUNCTION tickmark_trail_append() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  head_seq  bigint;
  head_hash text;
BEGIN
  -- The engagement's writers' lock (workpapers/store/pg_engine.cpp): one append at a time, in one order.
  PERFORM pg_advisory_xact_lock(1953064811);
  SELECT seq, hash INTO head_seq, head_hash FROM audit_trail ORDER BY seq DESC LIMIT 1;
  IF NOT FOUND THEN
    head_seq := 0;
    head_hash := repeat('0', 64);
  END IF;
  IF NEW.seq IS DISTINCT FROM head_seq + 1 OR NEW.prev_hash IS DISTINCT FROM head_hash THEN
    RAISE EXCEPTION 'refused by the server: audit trail entry % does not follow entry %, the last one (the trail is appended in one order, each entry chained to the one before)',
      NEW.seq, head_seq USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.hash IS DISTINCT FROM encode(sha256(
       tickmark_trail_field(NEW.prev_hash) || tickmark_trail_field(NEW.seq::text) || tickmark_trail_field(NEW.at) ||
       tickmark_trail_field(NEW.actor) || tickmark_trail_field(NEW.action) || tickmark_trail_field(NEW.workpaper) ||
       tickmark_trail_field(NEW.entity) || tickmark_trail_field(NEW.field) || tickmark_trail_field(NEW.old_value) ||
       tickmark_trail_field(NEW.new_value) || tickmark_trail_field(NEW.reason)), 'hex') THEN
    RAISE EXCEPTION 'refused by the server: audit trail entry %''s hash is not the hash of what it records', NEW.seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  INSERT INTO trail_stamp(seq, server_role, server_at, xact) VALUES (NEW.seq, session_user,
    to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), pg_current_xact_id());
  RETURN NEW;
END $$;
CREATE TRIGGER audit_trail_append BEFORE INSERT ON audit_trail FOR EACH ROW EXECUTE FUNCTION tickmark_trail_append();

-- Checked at the commit: the transaction appended to the trail, and its last entry is sealed (the
-- member's signature over the entry and the state it left: workpapers/proof/seal.h). A change made
-- with plain SQL has neither; one that forges them is stamped with its login, and the signature check
-- of `tickmark audit verify` names it.
CREATE FUNCTION tickmark_change_needs_trail() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  head_seq bigint;
  head_xact xid8;
BEGIN
  SELECT seq, xact INTO head_seq, head_xact FROM trail_stamp ORDER BY seq DESC LIMIT 1;
  IF head_xact IS DISTINCT FROM pg_current_xact_id() THEN
    RAISE EXCEPTION 'refused by the server: % changed without its audit trail entry (every change to an engagement is made by Tickmark, which records it in the trail in the same transaction)',
      TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM trail_seal WHERE seq = head_seq) THEN
    RAISE EXCEPTION 'refused by the server: % changed and audit trail entry % appended without the seal of the member who made them (Tickmark seals every write with the member''s key)',
      TG_TABLE_NAME, head_seq USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
             AND tablename NOT IN ('trail_stamp', 'tickmark_meta') LOOP
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I DEFERRABLE INITIALLY DEFERRED '
                   'FOR EACH ROW EXECUTE FUNCTION tickmark_change_needs_trail()', t || '_needs_trail', t);
  END LOOP;
END $$;

-- The team: a role without login whose members are the auditors' logins. Only the team (and the
-- owner) may connect; the trail, its seals and the sign-offs are append-only to them by grant.
DO $$
DECLARE
  team text := left(current_database(), 58) || '_team';  -- teamRoleSql()
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = team) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', team);
  END IF;
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), team);
  EXECUTE format('REVOKE ALL ON SCHEMA public FROM PUBLIC');
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', team);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', team);
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON audit_trail, trail_seal, signoff, trail_stamp, tickmark_meta FROM %I', team);
  EXECUTE format('GRANT INSERT ON audit_trail, trail_seal, signoff TO %I', team);
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', team);
END $$;
)sql";
}

}  // namespace tickmark::schema
