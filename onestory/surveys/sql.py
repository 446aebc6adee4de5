"""Rules the database keeps that a check constraint cannot. Used by migration 0001.

- A response's time use adds up to 100. It spans rows (one per category), so it is a constraint
  trigger, deferred to the end of the transaction, when the response and all its percentages
  are in.
- A wave's questions are frozen: answers were given to them as they were worded, so no update
  of a wave's question is accepted (the council edits its default set between waves instead).
"""

TIME_USE_ADDS_UP = """
CREATE FUNCTION surveys_time_use_adds_up() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rid uuid;
    total integer;
BEGIN
    IF TG_TABLE_NAME = 'surveys_response' THEN
        rid := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        rid := OLD.response_id;
    ELSE
        rid := NEW.response_id;
    END IF;
    -- A response deleted with its answers leaves nothing to check.
    IF NOT EXISTS (SELECT 1 FROM surveys_response WHERE id = rid) THEN
        RETURN NULL;
    END IF;
    -- A wave that asked no time-use question has nothing to add up.
    IF NOT EXISTS (
        SELECT 1 FROM surveys_wavequestion q JOIN surveys_response r ON r.wave_id = q.wave_id
        WHERE r.id = rid AND q.kind = 'time_use'
    ) THEN
        RETURN NULL;
    END IF;
    SELECT COALESCE(SUM(percent), 0) INTO total FROM surveys_timeuse WHERE response_id = rid;
    IF total <> 100 THEN
        RAISE EXCEPTION 'Time use must add up to 100, not %', total
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'surveys_time_use_adds_up_to_100';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER surveys_response_time_use_adds_up
    AFTER INSERT ON surveys_response DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION surveys_time_use_adds_up();
CREATE CONSTRAINT TRIGGER surveys_timeuse_adds_up
    AFTER INSERT OR UPDATE OR DELETE ON surveys_timeuse DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION surveys_time_use_adds_up();
"""

DROP_TIME_USE_ADDS_UP = """
DROP TRIGGER surveys_timeuse_adds_up ON surveys_timeuse;
DROP TRIGGER surveys_response_time_use_adds_up ON surveys_response;
DROP FUNCTION surveys_time_use_adds_up();
"""

WAVE_QUESTIONS_FROZEN = """
CREATE FUNCTION surveys_wave_questions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'A wave''s questions cannot be changed once it has opened'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'surveys_wave_questions_frozen';
END
$$;
CREATE TRIGGER surveys_wavequestion_frozen BEFORE UPDATE ON surveys_wavequestion
    FOR EACH ROW EXECUTE FUNCTION surveys_wave_questions_frozen();
"""

DROP_WAVE_QUESTIONS_FROZEN = """
DROP TRIGGER surveys_wavequestion_frozen ON surveys_wavequestion;
DROP FUNCTION surveys_wave_questions_frozen();
"""
