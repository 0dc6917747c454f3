//! One request in flight per cached thing: when several tasks ask for the same project page or
//! METADATA at once (the matrix resolves one set on twelve targets concurrently), the first asks
//! the index and the others wait for it, then read the answer it left in the cache.
//!
//! A waiter holds nothing but a place in the queue of one key; the map forgets a key when its
//! last holder leaves, so it stays as small as the requests in flight.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// The keys being fetched now, each with the lock its askers queue on. Cheap to clone; clones
/// share the map.
#[derive(Debug, Clone, Default)]
pub(super) struct Flights {
    keys: Arc<Mutex<HashMap<String, Arc<AsyncMutex<()>>>>>,
}

/// Held while one task fetches `key`; the next asker of the key goes on when it is dropped.
pub(super) struct Flight {
    key: String,
    keys: Arc<Mutex<HashMap<String, Arc<AsyncMutex<()>>>>>,
    held: Option<OwnedMutexGuard<()>>,
}

impl Flights {
    /// Waits until no other task is fetching `key`, then holds it.
    pub(super) async fn hold(&self, key: &str) -> Flight {
        let lock = {
            let mut keys = lock(&self.keys);
            keys.entry(key.to_string()).or_default().clone()
        };
        let held = lock.lock_owned().await;
        Flight {
            key: key.to_string(),
            keys: self.keys.clone(),
            held: Some(held),
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        lock(&self.keys).len()
    }
}

impl Drop for Flight {
    fn drop(&mut self) {
        // Let the next asker go first, then forget the key if nobody else holds or waits on it
        // (a waiter holds a clone of the lock, so the map's is then the only one).
        drop(self.held.take());
        let mut keys = lock(&self.keys);
        if keys
            .get(&self.key)
            .is_some_and(|l| Arc::strong_count(l) == 1)
        {
            keys.remove(&self.key);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn askers_of_one_key_go_one_at_a_time_and_the_key_is_forgotten_after() {
        let flights = Flights::default();
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (flights, inside, most) = (flights.clone(), inside.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                let _flight = flights.hold("numpy").await;
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                tokio::task::yield_now().await;
                inside.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 1);
        assert_eq!(flights.len(), 0);
    }

    #[tokio::test]
    async fn different_keys_do_not_wait_for_each_other() {
        let flights = Flights::default();
        let _numpy = flights.hold("numpy").await;
        let pandas =
            tokio::time::timeout(std::time::Duration::from_secs(5), flights.hold("pandas")).await;
        assert!(pandas.is_ok());
        assert_eq!(flights.len(), 2);
    }
}
