-- Chat with the AI adviser: each user's conversations and their messages. A message's `model`
-- names the language model that wrote it (NULL for the user's messages and for answers made
-- without a model, from the engines alone). Messages of a conversation are ordered by
-- created_at, which the store keeps strictly increasing within a conversation.

CREATE TABLE conversations (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
-- A user's list, most recently active first.
CREATE INDEX conversations_user_updated_idx ON conversations (user_id, updated_at);

CREATE TABLE chat_messages (
    id              UUID PRIMARY KEY,
    conversation_id UUID NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content         TEXT NOT NULL,
    model           TEXT,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX chat_messages_conversation_created_idx ON chat_messages (conversation_id, created_at);
