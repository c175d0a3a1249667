-- N priced CDRs on 2026-11-20 for tests/bench/report-bench.sh: 80 % answered and RATED, the rest
-- busy (cost 0), over 5,000 billing parties and 1,000 destinations. Deterministic.
INSERT INTO rate_plan (name, currency, decimals) VALUES ('bench', 'EUR', 4);
INSERT INTO account (name, plan_id, time_zone)
SELECT (1000 + i) || '@example.com', p.id, 'Europe/Berlin' FROM rate_plan p, generate_series(0, 4999) i;

INSERT INTO cdr (cdr_key, call_id, call_date, setup_time, answer_time, end_time, duration_seconds, billable_seconds,
                 disposition, sip_code, sip_reason, caller, callee, billing_party, user_name, nas_name, source_keys)
SELECT md5('report-bench-' || i)::uuid, 'bench-' || i || '@10.0.0.5', date '2026-11-20', t, 
       CASE WHEN i % 5 <> 0 THEN t + interval '3 seconds' END,
       t + interval '3 seconds' + (i % 600) * interval '1 second',
       CASE WHEN i % 5 <> 0 THEN i % 600 ELSE 0 END, CASE WHEN i % 5 <> 0 THEN i % 600 ELSE 0 END,
       CASE WHEN i % 5 <> 0 THEN 'ANSWERED' ELSE 'BUSY' END, CASE WHEN i % 5 <> 0 THEN 200 ELSE 486 END,
       CASE WHEN i % 5 <> 0 THEN 'OK' ELSE 'Busy Here' END,
       'sip:' || (1000 + i % 5000) || '@example.com', 'sip:+4930' || (100000 + i % 1000) || i % 1000 || '@example.com',
       (1000 + i % 5000) || '@example.com', (1000 + i % 5000) || '@example.com', 'tollgate-proxy',
       ARRAY[md5('report-bench-start-' || i)::uuid]
  FROM generate_series(1, :n) i,
       LATERAL (SELECT timestamptz '2026-11-20 00:00:00+00' + (i % 86000) * interval '1 second' AS t) x;

INSERT INTO cdr_price (cdr_key, call_date, rating_status, account_id, plan_name, rate_prefix, destination,
                       billed_seconds, cost, currency)
SELECT c.cdr_key, c.call_date, 'RATED', a.id, 'bench', '4930' || (100000 + i % 1000), 'Germany ' || (i % 1000),
       c.billable_seconds, round((c.billable_seconds * (0.01 + (i % 50) / 1000.0) / 60)::numeric, 4), 'EUR'
  FROM generate_series(1, :n) i
  JOIN cdr c ON c.cdr_key = md5('report-bench-' || i)::uuid
  JOIN account a ON a.name = (1000 + i % 5000) || '@example.com';
