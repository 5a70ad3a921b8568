//! The comment thread of a project, where its initiator, its oblast's reviewers and the
//! commission talk it through. Comments are kept as written: none is edited or deleted,
//! so the thread is a record of what was said and when.

use dream_domain::ProjectId;
use uuid::Uuid;

use crate::timestamp::Timestamp;
use crate::{Result, Store, now, on_pool};

/// One comment, with the name its author signed it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: String,
    pub author: String,
    pub body: String,
    pub created_at: Timestamp,
}

/// The longest comment kept, in characters.
pub const MAX_COMMENT_CHARS: usize = 4000;

impl Store {
    /// Adds a comment by the account `user_id` (none for the bootstrapping token), shown as
    /// `author`.
    pub async fn add_comment(
        &self,
        project: &ProjectId,
        user_id: Option<&str>,
        author: &str,
        body: &str,
    ) -> Result<Comment> {
        let comment = Comment {
            id: Uuid::now_v7().to_string(),
            author: author.to_owned(),
            body: body.to_owned(),
            created_at: Timestamp(now()),
        };
        on_pool!(self.db(), pool => {
            sqlx::query(
                "INSERT INTO project_comments (id, project_id, user_id, author, body, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&comment.id).bind(project.as_str()).bind(user_id).bind(author)
            .bind(body).bind(comment.created_at)
            .execute(pool)
            .await?;
        });
        tracing::info!(project.id = %project, comment.id = %comment.id,
            "comment {} added to project {project}", comment.id);
        Ok(comment)
    }

    /// The comments on a project, oldest first.
    pub async fn comments(&self, project: &ProjectId) -> Result<Vec<Comment>> {
        let rows: Vec<(String, String, String, Timestamp)> = on_pool!(self.db(), pool => {
            sqlx::query_as(
                "SELECT id, author, body, created_at FROM project_comments \
                 WHERE project_id = $1 ORDER BY created_at, id",
            )
            .bind(project.as_str())
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, author, body, created_at)| Comment {
                id,
                author,
                body,
                created_at,
            })
            .collect())
    }
}
