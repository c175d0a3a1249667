-- Prepaid over RADIUS (issue 14): a NAS client that may ask for a prepaid authorization without
-- credentials — a SIP proxy or gateway that authenticated the caller itself (Tollgate's own proxy,
-- a Cisco gateway running a debit-card script). Other clients must authenticate the caller first.
ALTER TABLE nas_client ADD COLUMN prepaid_authorize boolean NOT NULL DEFAULT false;
