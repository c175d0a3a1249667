-- The rating pass reads cdr_change in the order the changes were queued, which is the order the
-- pairing wrote the CDRs: by key it fetched CDR rows from all over the table for every chunk
-- (BENCHMARKS.md). A change queued again gets a new number, so the pass that picked the old one
-- leaves it queued.
CREATE SEQUENCE cdr_change_seq;
ALTER TABLE cdr_change ADD COLUMN seq bigint NOT NULL DEFAULT nextval('cdr_change_seq');
ALTER SEQUENCE cdr_change_seq OWNED BY cdr_change.seq;
CREATE UNIQUE INDEX cdr_change_by_seq ON cdr_change (seq);
-- A CDR paired for the first time has no price to remove: the pass skips looking for one.
ALTER TABLE cdr_change ADD COLUMN fresh boolean NOT NULL DEFAULT false;

-- Accounts and days whose prices a rating pass removed (a corrected or superseded CDR): their
-- daily totals are recomputed at the end of the pass, also by the pass that finishes a killed one.
CREATE TABLE rating_touched (
    account_id bigint NOT NULL,
    day        date   NOT NULL,
    PRIMARY KEY (account_id, day)
);

-- Costs keep the scale their plan rounds to (0.2500 at 4 decimals, not 0.250000), and sums keep
-- it too: reports show amounts as they were billed.
ALTER TABLE cdr_price ALTER COLUMN cost TYPE numeric;
ALTER TABLE account_daily_total ALTER COLUMN cost TYPE numeric;
ALTER TABLE cdr_rating_audit ALTER COLUMN cost TYPE numeric;
