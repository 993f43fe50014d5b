namespace Kefu.Storage.Postgres;

/// <summary>The SQL of the migrations (see <see cref="PostgresMigrations"/>).</summary>
internal static class PostgresSchema
{
    /// <summary>
    /// Sessions with their state, the messages and the per-turn conversation log (the agent queue is the sessions in
    /// state WaitingForHuman ordered by queued_at), and agents' corrected answers. Times are timestamptz (microseconds).
    /// </summary>
    public const string Sessions = """
        CREATE TABLE IF NOT EXISTS sessions (
            id text PRIMARY KEY,
            state text NOT NULL,
            slots jsonb NOT NULL,
            unresolved integer NOT NULL,
            pending jsonb,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            queued_at timestamptz,
            handoff_reason text,
            agent text);
        CREATE INDEX IF NOT EXISTS sessions_by_state ON sessions (state, (coalesce(queued_at, updated_at)));
        CREATE TABLE IF NOT EXISTS messages (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            role text NOT NULL,
            content text NOT NULL,
            at timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS messages_by_session ON messages (session_id, id);
        CREATE TABLE IF NOT EXISTS turns (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            at timestamptz NOT NULL,
            intent text NOT NULL,
            reason text NOT NULL,
            confidence double precision,
            tool_calls text NOT NULL,
            resolved boolean NOT NULL,
            handoff boolean NOT NULL,
            latency_ms double precision NOT NULL);
        CREATE INDEX IF NOT EXISTS turns_by_session ON turns (session_id, id);
        CREATE TABLE IF NOT EXISTS corrected_answers (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            session_id text NOT NULL,
            question text NOT NULL,
            bot_answer text,
            agent_answer text NOT NULL,
            agent text NOT NULL,
            at timestamptz NOT NULL);
        """;

    /// <summary>
    /// A version number per session row, bumped by every write: a save carries the version it loaded, so a turn
    /// computed from a stale copy (an agent claimed the session on another replica meanwhile) cannot undo that write.
    /// </summary>
    public const string SessionVersions = """
        ALTER TABLE sessions ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 0;
        """;

    /// <summary>
    /// The web key ring (ASP.NET Core data protection keys, as XML) shared by the replicas, so an agent's sign-in
    /// cookie issued by one replica is accepted by all.
    /// </summary>
    public const string KeyRing = """
        CREATE TABLE IF NOT EXISTS key_ring (
            name text PRIMARY KEY,
            xml text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now());
        """;

    /// <summary>
    /// Customers' satisfaction ratings, one per conversation (a second rating replaces the first), as the SQLite desk
    /// store keeps them; and an index for the dashboard, which reads the turn log by time.
    /// </summary>
    public const string SatisfactionRatings = """
        CREATE TABLE IF NOT EXISTS satisfaction_ratings (
            session_id text PRIMARY KEY,
            score integer NOT NULL CHECK (score BETWEEN 1 AND 5),
            comment text,
            at timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS satisfaction_ratings_by_time ON satisfaction_ratings (at);
        CREATE INDEX IF NOT EXISTS turns_by_time ON turns (at);
        """;

    /// <summary>
    /// The knowledge base: sources and chunks, the bigram postings that BM25 is computed from (term frequency per
    /// column, so title and body can be weighted as the SQLite FTS5 index weights them), and chunk vectors as
    /// real[] (pgvector is optional; see PostgresKnowledgeBase). kb_meta's generation is bumped by every change, so
    /// every replica knows when its caches are stale.
    /// </summary>
    public const string Knowledge = """
        CREATE TABLE IF NOT EXISTS kb_sources (
            key text PRIMARY KEY,
            display_name text NOT NULL,
            content_hash text NOT NULL,
            chunk_count integer NOT NULL,
            token_count bigint NOT NULL,
            imported_at timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS kb_meta (key text PRIMARY KEY, value bigint NOT NULL);
        CREATE TABLE IF NOT EXISTS kb_chunks (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            source_key text NOT NULL REFERENCES kb_sources (key) ON DELETE CASCADE,
            anchor text NOT NULL,
            title text NOT NULL,
            text text NOT NULL,
            kind integer NOT NULL,
            term_count integer NOT NULL);
        CREATE INDEX IF NOT EXISTS kb_chunks_by_source ON kb_chunks (source_key);
        CREATE TABLE IF NOT EXISTS kb_postings (
            term text NOT NULL,
            chunk_id bigint NOT NULL REFERENCES kb_chunks (id) ON DELETE CASCADE,
            title_tf integer NOT NULL,
            body_tf integer NOT NULL,
            PRIMARY KEY (term, chunk_id));
        CREATE INDEX IF NOT EXISTS kb_postings_by_chunk ON kb_postings (chunk_id);
        CREATE TABLE IF NOT EXISTS kb_vectors (
            chunk_id bigint PRIMARY KEY REFERENCES kb_chunks (id) ON DELETE CASCADE,
            model text NOT NULL,
            text_hash text NOT NULL,
            dimensions integer NOT NULL,
            vector real[] NOT NULL);
        CREATE INDEX IF NOT EXISTS kb_vectors_by_model ON kb_vectors (model, dimensions);
        """;
}
