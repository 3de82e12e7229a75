//! The link between the tray process and the window process: one JSON message per line over
//! a Unix socket private to the user. The window asks (the UI's commands, relayed); the tray
//! answers and pushes events. Lines are bounded, so a garbage or oversized frame ends the
//! link instead of growing a buffer.

use super::contract::{CommandError, CommandRequest, View};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The longest message either side accepts (a history of 400 points is about 40 KB).
pub const MAX_FRAME: usize = 1 << 20;

/// The window process's argument that names the tray's socket.
pub const WINDOW_ARG: &str = "--window-link";

/// A command from the window process, relayed from the UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: u64,
    pub call: CommandRequest,
}

/// What the tray process sends the window process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ToWindow {
    /// The answer to request `id`.
    Reply {
        id: u64,
        result: Result<Value, CommandError>,
    },
    /// An event for the UI (a new snapshot, a tray host appeared).
    Event { event: String, payload: Value },
    /// Show the window (raised and focused) at this view.
    Show { view: View },
}

/// Why a link ended.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("the link failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("a message was longer than {MAX_FRAME} bytes")]
    Oversized,
    #[error("a message could not be read: {0}")]
    Malformed(#[from] serde_json::Error),
}

/// Reads the next message; `None` when the other side closed the link.
pub async fn read<T, R>(reader: &mut R) -> Result<Option<T>, LinkError>
where
    T: for<'de> Deserialize<'de>,
    R: AsyncBufRead + Unpin,
{
    let mut line = Vec::new();
    let read = (&mut *reader)
        .take(MAX_FRAME as u64 + 1)
        .read_until(b'\n', &mut line)
        .await?;
    if read == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return if line.len() > MAX_FRAME {
            Err(LinkError::Oversized)
        } else {
            Ok(None)
        };
    }
    Ok(Some(serde_json::from_slice(&line)?))
}

/// Writes one message.
pub async fn write<T: Serialize, W: AsyncWrite + Unpin>(
    writer: &mut W,
    message: &T,
) -> Result<(), LinkError> {
    let mut line = serde_json::to_vec(message)?;
    line.push(b'\n');
    writer.write_all(&line).await?;
    writer.flush().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::BufReader;

    #[tokio::test]
    async fn messages_cross_and_bad_frames_end_the_link_with_a_reason() {
        let (a, b) = tokio::io::duplex(4 * MAX_FRAME);
        let (mut a, mut b) = (a, BufReader::new(b));
        let request = Request {
            id: 7,
            call: CommandRequest::GetSettings {},
        };
        write(&mut a, &request).await.unwrap();
        assert_eq!(read::<Request, _>(&mut b).await.unwrap(), Some(request));

        a.write_all(b"{not json}\n").await.unwrap();
        assert!(matches!(
            read::<Request, _>(&mut b).await,
            Err(LinkError::Malformed(_))
        ));
        a.write_all(&vec![b'x'; MAX_FRAME + 10]).await.unwrap();
        assert!(matches!(
            read::<Request, _>(&mut b).await,
            Err(LinkError::Oversized)
        ));
        drop(a);
        let mut rest = Vec::new();
        b.read_to_end(&mut rest).await.unwrap();
        assert_eq!(read::<Request, _>(&mut b).await.unwrap(), None);
    }
}
