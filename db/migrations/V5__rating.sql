-- Rating: rate plans (rates by prefix and band, bands, holidays), accounts, and the price of
-- every answered CDR. Money is NUMERIC(18,6) with an ISO 4217 currency per plan.

CREATE TABLE rate_plan (
    id               bigserial   PRIMARY KEY,
    name             text        NOT NULL UNIQUE,
    currency         char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    decimals         int         NOT NULL DEFAULT 4 CHECK (decimals BETWEEN 0 AND 6),
    rounding         text        NOT NULL DEFAULT 'HALF_UP' CHECK (rounding IN ('HALF_UP', 'UP', 'DOWN')),
    round_per_increment boolean  NOT NULL DEFAULT false,
    charge_failed    boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Time bands in the order they are tried; the first that matches a local moment is in force.
CREATE TABLE rate_plan_band (
    plan_id   bigint  NOT NULL REFERENCES rate_plan (id) ON DELETE CASCADE,
    ordinal   int     NOT NULL,
    name      text    NOT NULL CHECK (name <> '*'),
    days      text    NOT NULL DEFAULT 'MON-SUN',   -- e.g. MON-FRI, SAT,SUN
    from_time time    NOT NULL DEFAULT '00:00',
    to_time   time    NOT NULL DEFAULT '00:00',     -- 00:00 = the end of the day
    holidays  boolean NOT NULL DEFAULT false,       -- matches the plan's holidays instead of days and times
    PRIMARY KEY (plan_id, ordinal),
    UNIQUE (plan_id, name)
);

CREATE TABLE rate_plan_holiday (
    plan_id bigint NOT NULL REFERENCES rate_plan (id) ON DELETE CASCADE,
    day     date   NOT NULL,
    name    text,
    PRIMARY KEY (plan_id, day)
);

CREATE TABLE rate (
    plan_id          bigint        NOT NULL REFERENCES rate_plan (id) ON DELETE CASCADE,
    prefix           text          NOT NULL CHECK (prefix ~ '^[0-9]{1,20}$'),
    destination      text          NOT NULL,
    band             text          NOT NULL DEFAULT '*',
    connect_fee      numeric(18,6) NOT NULL DEFAULT 0 CHECK (connect_fee >= 0),
    price_per_minute numeric(18,6) NOT NULL CHECK (price_per_minute >= 0),
    first_increment  int           NOT NULL DEFAULT 60 CHECK (first_increment >= 1),
    next_increment   int           NOT NULL DEFAULT 60 CHECK (next_increment >= 1),
    minimum_seconds  int           NOT NULL DEFAULT 0 CHECK (minimum_seconds >= 0),
    free_seconds     int           NOT NULL DEFAULT 0 CHECK (free_seconds >= 0),
    valid_from       timestamptz   NOT NULL DEFAULT '1970-01-01T00:00:00Z',  -- Rate.validFrom's "always"
    valid_to         timestamptz,
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    PRIMARY KEY (plan_id, prefix, band, valid_from)
);

-- Who pays: a CDR's billing party (User-Name, or the forwarding party) is an account's name.
CREATE TABLE account (
    id         bigserial   PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    plan_id    bigint      NOT NULL REFERENCES rate_plan (id),
    time_zone  text        NOT NULL DEFAULT 'UTC',
    kind       text        NOT NULL DEFAULT 'POSTPAID' CHECK (kind IN ('POSTPAID', 'PREPAID')),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The price of each CDR, as rated: RATED with cost, UNRATED with the reason (never a zero price).
-- A table of its own, written by COPY: updating the wide CDR rows cost a new tuple and an entry in
-- every index per CDR (measured: BENCHMARKS.md).
CREATE TABLE cdr_price (
    cdr_key        uuid          PRIMARY KEY,
    call_date      date          NOT NULL,
    rating_status  text          NOT NULL CHECK (rating_status IN ('RATED', 'UNRATED')),
    account_id     bigint,
    plan_name      text,
    rate_prefix    text,
    destination    text,
    billed_seconds bigint,
    cost           numeric(18,6),
    currency       char(3),
    unrated_reason text,
    rated_at       timestamptz   NOT NULL DEFAULT now(),
    CHECK (rating_status = 'UNRATED' OR cost IS NOT NULL)
);
CREATE INDEX cdr_price_account_day ON cdr_price (account_id, call_date);
CREATE INDEX cdr_price_unrated ON cdr_price (call_date) WHERE rating_status = 'UNRATED';
CREATE INDEX cdr_price_rated_at ON cdr_price (rated_at);

-- Earlier prices of a CDR that a re-rate changed.
CREATE TABLE cdr_rating_audit (
    id             bigserial     PRIMARY KEY,
    cdr_key        uuid          NOT NULL,
    rating_status  text,
    plan_name      text,
    rate_prefix    text,
    billed_seconds bigint,
    cost           numeric(18,6),
    currency       char(3),
    unrated_reason text,
    rated_at       timestamptz,
    replaced_at    timestamptz   NOT NULL DEFAULT now(),
    reason         text          NOT NULL
);
CREATE INDEX cdr_rating_audit_key ON cdr_rating_audit (cdr_key);

-- Per account and day (the CDR's call_date): what reports read instead of summing CDRs.
CREATE TABLE account_daily_total (
    account_id       bigint        NOT NULL REFERENCES account (id),
    day              date          NOT NULL,
    currency         char(3)       NOT NULL,
    calls            bigint        NOT NULL,
    billed_seconds   bigint        NOT NULL,
    cost             numeric(18,6) NOT NULL,
    unrated_calls    bigint        NOT NULL,
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, day, currency)
);
