-- Prepaid: an account of kind PREPAID has a balance kept in an append-only ledger, money held for
-- the calls it has up (reservations), and vouchers to top it up. Money is NUMERIC without a fixed
-- scale, so amounts keep the scale their plan rounds to; never floating point.

-- The prepaid side of an account (kind PREPAID). balance is the sum of the account's ledger and
-- reserved the sum of its open reservations, both kept in the transaction that changes them, under
-- this row's lock (SELECT … FOR UPDATE, accounts in id order): the lock is what makes concurrent
-- calls, top-ups and several Tollgate instances share the money safely.
CREATE TABLE prepaid_account (
    account_id   bigint      PRIMARY KEY REFERENCES account (id),
    currency     char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    credit_limit numeric     NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
    low_balance  numeric     NOT NULL DEFAULT 0 CHECK (low_balance >= 0),
    balance      numeric     NOT NULL DEFAULT 0,
    reserved     numeric     NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Ledger entries and reservations name their prepaid account without a foreign key: its check, a
-- query per row, was about 40 % of the cost of writing them (BENCHMARKS.md), and only the engine
-- writes them, for accounts it holds locked. What the key would guard, a prepaid account that
-- vanishes from under its ledger, cannot happen: prepaid accounts are never deleted.
CREATE FUNCTION prepaid_account_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'prepaid accounts are never deleted: their ledger refers to them' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER prepaid_account_kept BEFORE DELETE ON prepaid_account
    FOR EACH ROW EXECUTE FUNCTION prepaid_account_kept();
CREATE TRIGGER prepaid_account_not_truncated BEFORE TRUNCATE ON prepaid_account
    FOR EACH STATEMENT EXECUTE FUNCTION prepaid_account_kept();

-- A prepaid account pays in its plan's currency: refused otherwise, also when its plan changes.
CREATE FUNCTION prepaid_account_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    plan_currency text;
    account_kind  text;
BEGIN
    SELECT p.currency, a.kind INTO plan_currency, account_kind
      FROM account a JOIN rate_plan p ON p.id = a.plan_id WHERE a.id = NEW.account_id;
    IF account_kind IS DISTINCT FROM 'PREPAID' THEN
        RAISE EXCEPTION 'account % is not of kind PREPAID', NEW.account_id USING ERRCODE = 'check_violation';
    END IF;
    IF plan_currency <> NEW.currency THEN
        RAISE EXCEPTION 'account % is billed in % by its plan, not %', NEW.account_id, plan_currency, NEW.currency
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER prepaid_account_checked BEFORE INSERT OR UPDATE OF account_id, currency ON prepaid_account
    FOR EACH ROW EXECUTE FUNCTION prepaid_account_check();

CREATE FUNCTION prepaid_account_plan_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM prepaid_account pa JOIN rate_plan p ON p.id = NEW.plan_id
                WHERE pa.account_id = NEW.id AND pa.currency <> p.currency) THEN
        RAISE EXCEPTION 'prepaid account % cannot move to a plan in another currency', NEW.name
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER account_plan_checked BEFORE UPDATE OF plan_id ON account
    FOR EACH ROW EXECUTE FUNCTION prepaid_account_plan_check();

-- Every change of a prepaid balance, never changed nor removed. The idempotency key names the act
-- (call/<account id>/<call id>, topup/<account id>/<reference>, voucher/<serial>, …): the same act
-- twice is one row.
CREATE TABLE prepaid_ledger (
    id              bigserial   PRIMARY KEY,
    account_id      bigint      NOT NULL,   -- a prepaid_account (never deleted: see below)
    kind            text        NOT NULL CHECK (kind IN ('TOPUP', 'VOUCHER', 'CALL', 'REFUND', 'ADJUSTMENT')),
    amount          numeric     NOT NULL,
    currency        char(3)     NOT NULL,
    balance_after   numeric     NOT NULL,
    idempotency_key text        NOT NULL UNIQUE,
    reference       text        NOT NULL,   -- the top-up's reference, the voucher's serial, the call's id
    note            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (CASE kind WHEN 'CALL' THEN amount <= 0 WHEN 'ADJUSTMENT' THEN amount <> 0 ELSE amount > 0 END)
);
CREATE INDEX prepaid_ledger_account ON prepaid_ledger (account_id, created_at);

CREATE FUNCTION prepaid_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'prepaid_ledger is append-only: % refused (correct with an ADJUSTMENT entry)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER prepaid_ledger_append_only BEFORE UPDATE OR DELETE ON prepaid_ledger
    FOR EACH ROW EXECUTE FUNCTION prepaid_ledger_append_only();
CREATE TRIGGER prepaid_ledger_no_truncate BEFORE TRUNCATE ON prepaid_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION prepaid_ledger_append_only();

-- One row per prepaid call: the money held for it while it is up (held, OPEN), how much time it
-- was granted from start_at, the last answer given (so a retransmission gets it again), and how it
-- ended. expires_at: an OPEN reservation not heard of by then is stale; it is released and
-- flagged (EXPIRED, expired_at stays set when a late Stop then debits it).
CREATE TABLE prepaid_reservation (
    account_id       bigint      NOT NULL,  -- a prepaid_account (never deleted: see below)
    call_id          text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('OPEN', 'EXPIRED', 'COMMITTED', 'RELEASED', 'REFUSED')),
    destination      text,
    authorized_at    timestamptz NOT NULL,
    start_at         timestamptz NOT NULL,
    answered         boolean     NOT NULL DEFAULT false,
    granted_seconds  bigint      NOT NULL DEFAULT 0,
    used_seconds     bigint      NOT NULL DEFAULT 0,
    held             numeric     NOT NULL DEFAULT 0 CHECK (held >= 0),
    expires_at       timestamptz NOT NULL,
    expired_at       timestamptz,
    seq              int         NOT NULL DEFAULT 0,
    answer_result    text        NOT NULL,
    answer_seconds   bigint      NOT NULL DEFAULT 0,
    answer_reserved  numeric,
    answer_available numeric,
    answer_last      boolean     NOT NULL DEFAULT true,
    answer_reason    text,
    debit            numeric,
    balance_after    numeric,
    source           text,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, call_id),
    CHECK (state = 'OPEN' OR held = 0)
);
CREATE INDEX prepaid_reservation_open ON prepaid_reservation (expires_at) WHERE state = 'OPEN';

-- Vouchers: printed codes worth a value in a currency until they expire. Only a keyed hash of a
-- code is stored (HMAC-SHA256 under voucher_key), so the table alone does not give codes away.
CREATE TABLE voucher_key (
    id  int   PRIMARY KEY CHECK (id = 1),
    key bytea NOT NULL CHECK (length(key) >= 32)
);

CREATE TABLE voucher_batch (
    id         bigserial   PRIMARY KEY,
    value      numeric     NOT NULL CHECK (value > 0),
    currency   char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    expires_at timestamptz NOT NULL,
    count      int         NOT NULL CHECK (count > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text
);

CREATE TABLE voucher (
    serial      text        PRIMARY KEY,
    batch_id    bigint      NOT NULL REFERENCES voucher_batch (id),
    code_hash   bytea       NOT NULL UNIQUE,
    redeemed_at timestamptz,
    account_id  bigint      REFERENCES prepaid_account (account_id),
    CHECK ((redeemed_at IS NULL) = (account_id IS NULL))
);
CREATE INDEX voucher_batch_serials ON voucher (batch_id);

-- A new or changed account, and a plan whose rates were imported, reach the running servers' rating
-- caches at once (payload: account:<name> or plan:<name>).
CREATE FUNCTION notify_rating_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tollgate_rating', CASE TG_TABLE_NAME WHEN 'account' THEN 'account:' ELSE 'plan:' END || NEW.name);
    RETURN NULL;
END;
$$;
CREATE TRIGGER account_changed AFTER INSERT OR UPDATE ON account
    FOR EACH ROW EXECUTE FUNCTION notify_rating_change();
CREATE TRIGGER rate_plan_changed AFTER UPDATE ON rate_plan
    FOR EACH ROW EXECUTE FUNCTION notify_rating_change();
