-- FreeRADIUS 3.2.5's require_message_authenticator: yes, no, or auto (required once the client has
-- sent one), the default for new clients. Existing clients keep what they had.
ALTER TABLE nas_client ADD COLUMN message_authenticator text NOT NULL DEFAULT 'auto'
    CHECK (message_authenticator IN ('yes', 'no', 'auto'));
UPDATE nas_client SET message_authenticator = CASE WHEN require_message_authenticator THEN 'yes' ELSE 'no' END;
ALTER TABLE nas_client DROP COLUMN require_message_authenticator;
