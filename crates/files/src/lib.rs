//! Where DREAM keeps its files: the bulk open-data files now, attachments later. One
//! `FileStore` hides whether they live in a local directory (the default, fit for a laptop
//! or a single server) or in an S3-compatible object store (for a country-wide
//! installation with several servers). Files are named by [`Key`]s, never by filesystem
//! paths, and big files are streamed in both directions, so memory stays flat.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::prefix::PrefixStore;
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use time::OffsetDateTime;
use tokio::io::AsyncReadExt;

mod key;
#[cfg(feature = "testing")]
pub mod testing;

pub use key::Key;

/// The region used when S3 settings name none; S3-compatible servers mostly ignore it.
const DEFAULT_REGION: &str = "us-east-1";

/// Files up to this size are stored in one request; bigger ones in parts of this size.
/// S3 wants parts of at least 5 MiB.
const PART_BYTES: usize = 8 * 1024 * 1024;

/// Parts of one file uploaded at once; with the part being filled, this bounds the memory
/// one upload holds to about three parts.
const PARTS_IN_FLIGHT: usize = 2;

/// Bytes read from a local file at a time while it is uploaded in parts.
const READ_BYTES: usize = 256 * 1024;

/// Why a file operation failed, naming the key (or the store) it was about.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{key:?} is not a valid file key: {reason}")]
    InvalidKey { key: String, reason: &'static str },
    #[error("no file is stored under {key}")]
    NotFound { key: String },
    #[error("cannot {action} {key}: {source}")]
    Store {
        action: &'static str,
        key: String,
        source: object_store::Error,
    },
    #[error("cannot read the local file {path} to store it as {key}: {source}")]
    LocalFile {
        key: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the file store {location}: {reason}")]
    Open { location: String, reason: String },
}

impl FileError {
    fn store(action: &'static str, key: &Key, source: object_store::Error) -> Self {
        match source {
            object_store::Error::NotFound { .. } => FileError::NotFound {
                key: key.to_string(),
            },
            source => FileError::Store {
                action,
                key: key.to_string(),
                source,
            },
        }
    }
}

/// How to reach an S3-compatible store: the `DREAM_S3_*` and `AWS_*` settings. Values left
/// out fall back to what AWS itself would use (its endpoints, instance credentials).
#[derive(Clone, Default)]
pub struct S3Settings {
    /// The server's address, such as `https://s3.example.org` or `http://127.0.0.1:9000`;
    /// `None` means AWS.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = self.secret_access_key.as_ref().map(|_| "***");
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &secret)
            .finish()
    }
}

/// What is known about a stored file without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    pub key: Key,
    pub bytes: u64,
    pub last_modified: OffsetDateTime,
}

/// A stored file being read: what it is, and its bytes as they arrive.
pub struct Download {
    pub info: FileInfo,
    pub body: BoxStream<'static, Result<Bytes, FileError>>,
}

/// A store of files, cheap to clone: clones share one connection pool or directory.
#[derive(Debug, Clone)]
pub struct FileStore {
    objects: Arc<dyn ObjectStore>,
    /// Where the files are, for messages: a directory or an `s3://` address.
    location: Arc<str>,
}

impl fmt::Display for FileStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.location)
    }
}

impl FileStore {
    /// Opens the store that `location` names: a directory path (relative or absolute) or a
    /// `file:///` address for a local directory, created when missing, or
    /// `s3://bucket/optional/prefix` for an S3-compatible store reached with `s3`.
    pub fn open(location: &str, s3: &S3Settings) -> Result<Self, FileError> {
        let refuse = |reason: String| FileError::Open {
            location: location.to_owned(),
            reason,
        };
        if !location.contains("://") {
            return Self::local(Path::new(location));
        }
        let url = url::Url::parse(location).map_err(|e| refuse(e.to_string()))?;
        match url.scheme() {
            "file" => {
                let dir = url
                    .to_file_path()
                    .map_err(|()| refuse("a file address needs an absolute path".into()))?;
                Self::local(&dir)
            }
            "s3" => {
                let bucket = url
                    .host_str()
                    .filter(|bucket| !bucket.is_empty())
                    .ok_or_else(|| refuse("an s3 address needs a bucket: s3://bucket".into()))?;
                Self::s3(bucket, url.path().trim_matches('/'), s3)
            }
            other => Err(refuse(format!(
                "{other}:// is not supported; use a directory, file:///dir or s3://bucket/prefix"
            ))),
        }
    }

    /// A store in the local directory `dir`, created when missing.
    pub fn local(dir: &Path) -> Result<Self, FileError> {
        let refuse = |reason: String| FileError::Open {
            location: dir.display().to_string(),
            reason,
        };
        std::fs::create_dir_all(dir).map_err(|e| refuse(e.to_string()))?;
        let objects = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| refuse(e.to_string()))?
            .with_automatic_cleanup(true);
        Ok(FileStore {
            objects: Arc::new(objects),
            location: Arc::from(dir.display().to_string()),
        })
    }

    /// A store in `bucket` of an S3-compatible server, with every key under `prefix` when
    /// it is not empty.
    pub fn s3(bucket: &str, prefix: &str, settings: &S3Settings) -> Result<Self, FileError> {
        let location = match prefix {
            "" => format!("s3://{bucket}"),
            prefix => format!("s3://{bucket}/{prefix}"),
        };
        let refuse = |reason: String| FileError::Open {
            location: location.clone(),
            reason,
        };
        // The HTTP client speaks TLS through rustls, which needs its crypto installed once
        // per process; installing it again is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();

        let given = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
        let region = given(&settings.region).unwrap_or_else(|| DEFAULT_REGION.to_owned());
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region(region);
        if let Some(endpoint) = given(&settings.endpoint) {
            builder = builder
                .with_allow_http(endpoint.starts_with("http://"))
                .with_endpoint(endpoint);
        }
        if let Some(id) = given(&settings.access_key_id) {
            builder = builder.with_access_key_id(id);
        }
        if let Some(secret) = given(&settings.secret_access_key) {
            builder = builder.with_secret_access_key(secret);
        }
        let s3 = builder.build().map_err(|e| refuse(e.to_string()))?;

        let objects: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(s3)
        } else {
            let prefix = Key::new(prefix).map_err(|e| refuse(e.to_string()))?;
            Arc::new(PrefixStore::new(s3, path(&prefix)))
        };
        Ok(FileStore {
            objects,
            location: Arc::from(location),
        })
    }

    /// Stores `bytes` under `key`, replacing any file there; readers see the old file or
    /// the new one, never a part.
    pub async fn put(&self, key: &Key, bytes: impl Into<Bytes>) -> Result<(), FileError> {
        let payload = PutPayload::from_bytes(bytes.into());
        self.objects
            .put(&path(key), payload)
            .await
            .map_err(|e| FileError::store("store", key, e))?;
        Ok(())
    }

    /// Stores the local file at `source` under `key` and returns its size in bytes. A big
    /// file goes up in parts, read as they are sent, so memory holds a few parts at most.
    pub async fn put_file(&self, key: &Key, source: &Path) -> Result<u64, FileError> {
        let local = |error: std::io::Error| FileError::LocalFile {
            key: key.to_string(),
            path: source.to_owned(),
            source: error,
        };
        let mut file = tokio::fs::File::open(source).await.map_err(local)?;
        let size = file.metadata().await.map_err(local)?.len();
        if size <= PART_BYTES as u64 {
            let mut bytes = Vec::with_capacity(size as usize);
            file.read_to_end(&mut bytes).await.map_err(local)?;
            let size = bytes.len() as u64;
            self.put(key, bytes).await?;
            return Ok(size);
        }

        let upload = self
            .objects
            .put_multipart(&path(key))
            .await
            .map_err(|e| FileError::store("start storing", key, e))?;
        let mut upload = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let sent = match send_parts(&mut file, &mut upload).await {
            Ok(sent) => sent,
            Err(error) => {
                if let Err(abort) = upload.abort().await {
                    tracing::warn!(file.key = %key, "abandoning the upload of {key}: {abort}");
                }
                return Err(match error {
                    Sending::Read(e) => local(e),
                    Sending::Store(e) => FileError::store("store", key, e),
                });
            }
        };
        upload
            .finish()
            .await
            .map_err(|e| FileError::store("store", key, e))?;
        Ok(sent)
    }

    /// Opens the file under `key` for reading; its bytes arrive in chunks as the body is
    /// polled.
    pub async fn get(&self, key: &Key) -> Result<Download, FileError> {
        let result = self
            .objects
            .get(&path(key))
            .await
            .map_err(|e| FileError::store("read", key, e))?;
        let info = info(key.clone(), &result.meta);
        let key = key.clone();
        let body = result
            .into_stream()
            .map_err(move |e| FileError::store("read", &key, e))
            .boxed();
        Ok(Download { info, body })
    }

    /// Reads the whole file under `key` into memory: for small files such as manifests.
    pub async fn get_bytes(&self, key: &Key) -> Result<Bytes, FileError> {
        let result = self
            .objects
            .get(&path(key))
            .await
            .map_err(|e| FileError::store("read", key, e))?;
        result
            .bytes()
            .await
            .map_err(|e| FileError::store("read", key, e))
    }

    /// Describes the file under `key` without reading it.
    pub async fn head(&self, key: &Key) -> Result<FileInfo, FileError> {
        let meta = self
            .objects
            .head(&path(key))
            .await
            .map_err(|e| FileError::store("describe", key, e))?;
        Ok(info(key.clone(), &meta))
    }

    /// Deletes the file under `key`; deleting a file that is not there succeeds.
    pub async fn delete(&self, key: &Key) -> Result<(), FileError> {
        match self.objects.delete(&path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(FileError::store("delete", key, e)),
        }
    }

    /// Every file whose key starts with the segments of `prefix`, ordered by key.
    pub async fn list(&self, prefix: &Key) -> Result<Vec<FileInfo>, FileError> {
        let metas: Vec<ObjectMeta> = self
            .objects
            .list(Some(&path(prefix)))
            .try_collect()
            .await
            .map_err(|e| FileError::store("list the files under", prefix, e))?;
        let mut files: Vec<FileInfo> = metas
            .iter()
            .filter_map(|meta| match Key::new(meta.location.to_string()) {
                Ok(key) => Some(info(key, meta)),
                Err(error) => {
                    tracing::warn!("skipping a stored file in {self}: {error}");
                    None
                }
            })
            .collect();
        files.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(files)
    }
}

/// What stopped an upload in parts: reading the local file, or the store.
enum Sending {
    Read(std::io::Error),
    Store(object_store::Error),
}

/// Reads `file` to its end into `upload`, waiting whenever enough parts are in flight.
async fn send_parts(
    file: &mut tokio::fs::File,
    upload: &mut WriteMultipart,
) -> Result<u64, Sending> {
    let mut buffer = vec![0; READ_BYTES];
    let mut sent = 0;
    loop {
        let read = file.read(&mut buffer).await.map_err(Sending::Read)?;
        if read == 0 {
            return Ok(sent);
        }
        upload
            .wait_for_capacity(PARTS_IN_FLIGHT)
            .await
            .map_err(Sending::Store)?;
        upload.write(&buffer[..read]);
        sent += read as u64;
    }
}

/// The object store's name for `key`, taken as it is (not percent-encoded), so that listing
/// gives the same key back.
fn path(key: &Key) -> object_store::path::Path {
    object_store::path::Path::parse(key.as_str())
        .expect("a checked key is stricter than an object store path")
}

fn info(key: Key, meta: &ObjectMeta) -> FileInfo {
    let nanos = i128::from(meta.last_modified.timestamp()) * 1_000_000_000
        + i128::from(meta.last_modified.timestamp_subsec_nanos());
    FileInfo {
        key,
        bytes: meta.size,
        last_modified: OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
    }
}
