-- Each commit that moves the registry version on tells the processes listening on the
-- channel the new number, so that they need not read it on every request. A notification
-- is sent when its transaction commits, and not at all when it rolls back.

CREATE FUNCTION notify_registry_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dream_registry_version', NEW.version::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER registry_version_notify
    AFTER UPDATE ON registry_version
    FOR EACH ROW EXECUTE FUNCTION notify_registry_version();
