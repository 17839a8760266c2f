//! The client against a local stand-in of the GW2 API (see `support`): decoding of every endpoint,
//! batching, partial content, caching, retries, rate limiting, the circuit breaker with stale
//! answers, timeouts and connection errors. Delays are shrunk so the file runs in a few seconds.

mod support;

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gw2api::model::{Item, Specialization};
use gw2api::{
    BreakerState, ClientConfig, Gw2ApiError, Gw2Client, Ids, Lang, MemoryCache, RateLimiter,
    Source, SCHEMA_VERSION,
};
use support::{refused_base_url, TestServer, SYNTHETIC_ITEMS, SYNTHETIC_ITEM_START};

/// Fast settings for tests: no rate limit to speak of, short backoffs.
fn config(base_url: &str) -> ClientConfig {
    ClientConfig {
        base_url: base_url.to_string(),
        timeout: Duration::from_secs(5),
        retry_base_delay: Duration::from_millis(10),
        retry_max_delay: Duration::from_millis(40),
        rate_per_minute: 60_000,
        burst: 1_000,
        ..ClientConfig::default()
    }
}

fn client_with(config: ClientConfig) -> (Gw2Client, Arc<MemoryCache>) {
    let cache = Arc::new(MemoryCache::default());
    let client = Gw2Client::new(config, cache.clone()).expect("client");
    (client, cache)
}

// ----- typed decoding of every endpoint ---------------------------------------------------------

#[tokio::test]
async fn decodes_every_endpoint_fixture() {
    let server = TestServer::start().await;
    let (client, _) = client_with(config(&server.base_url));

    let professions = client.professions(Ids::All).await.expect("professions");
    assert_eq!(professions.source, Source::Live);
    let guardian = professions
        .value
        .iter()
        .find(|p| p.id == "Guardian")
        .expect("guardian");
    assert_eq!(guardian.code, Some(1));
    assert!(guardian.specializations.contains(&27));
    assert!(guardian.weapons.contains_key("Axe"));
    assert_eq!(guardian.weapons["Axe"].specialization, Some(62));
    assert_eq!(guardian.skill_for_palette(1), Some(guardian.skills[3].id));
    assert!(guardian.training.as_ref().is_some_and(|t| !t.is_empty()));
    let revenant = professions
        .value
        .iter()
        .find(|p| p.id == "Revenant")
        .expect("revenant");
    assert_eq!(revenant.code, Some(9));
    assert_eq!(revenant.skills_by_palette, None);
    assert_eq!(revenant.flags, vec!["NoRacialSkills".to_string()]);

    let specs = client.specializations([27u32, 52]).await.expect("specs");
    assert_eq!(specs.value.len(), 2);
    assert!(specs.missing.is_empty());
    let dragonhunter = &specs.value[0];
    assert_eq!((dragonhunter.id, dragonhunter.elite), (27, true));
    assert_eq!(dragonhunter.profession, "Guardian");
    assert_eq!(dragonhunter.major_traits.len(), 9);
    assert_eq!(dragonhunter.weapon_trait, Some(1826));

    let traits = client.traits([563u32, 634, 648]).await.expect("traits");
    assert_eq!(traits.value.len(), 3);
    assert_eq!(traits.value[0].slot, "Major");
    assert_eq!(traits.value[0].specialization, 42);
    assert_eq!(traits.value[1].facts.len(), 0, "optional facts default");

    let skills = client.skills([9102u32, 9137, 29965]).await.expect("skills");
    assert_eq!(skills.value.len(), 3);
    assert_eq!(skills.value[0].kind.as_deref(), Some("Heal"));
    assert_eq!(skills.value[1].weapon_type.as_deref(), Some("Greatsword"));
    assert_eq!(
        skills.value[2].specialization,
        Some(27),
        "unknown fields ignored"
    );

    let items = client
        .items([900001u32, 900002, 900003])
        .await
        .expect("items");
    assert_eq!(items.value.len(), 3);
    assert_eq!(items.value[0].stat_choices(), vec![161, 584, 1]);
    assert_eq!(items.value[0].detail_type(), Some("Greatsword"));
    assert_eq!(items.value[1].infix_stat_id(), Some(161));

    let stats = client.itemstats(Ids::All).await.expect("itemstats");
    let berserker = stats.value.iter().find(|s| s.id == 161).expect("161");
    assert_eq!(berserker.attributes.len(), 3);
    assert_eq!(berserker.attributes[0].attribute, "Power");
    assert!((berserker.attributes[0].multiplier - 0.35).abs() < 1e-9);
    assert!(stats.value.iter().any(|s| s.id == 112 && s.name.is_empty()));

    let legends = client
        .legends(["Legend1", "Legend2"])
        .await
        .expect("legends");
    assert_eq!(legends.value[0].swap, Some(28229));
    assert_eq!(legends.value[0].utilities, vec![28379, 27014, 26644]);
    assert_eq!(legends.value[1].code, Some(2));

    let pets = client.pets(Ids::All).await.expect("pets");
    assert_eq!(pets.value.len(), 4);
    assert_eq!(pets.value[0].skills[0].id, 12658);

    let objectives = client
        .wvw_objectives(["38-9", "968-85"])
        .await
        .expect("objectives");
    assert_eq!(objectives.value[0].kind, "Castle");
    assert_eq!(objectives.value[0].coord, None, "optional coord");
    assert_eq!(objectives.value[1].map_type, "EdgeOfTheMists");
    assert_eq!(objectives.value[1].coord.as_ref().map(Vec::len), Some(2));

    let ids = client.wvw_match_ids().await.expect("match ids");
    assert_eq!(ids.value, vec!["1-2".to_string(), "2-1".to_string()]);
}

#[tokio::test]
async fn decodes_a_realistic_wvw_match_by_id_and_by_world() {
    let server = TestServer::start().await;
    let (client, _) = client_with(config(&server.base_url));

    let m = client.wvw_match("1-2").await.expect("match").value;
    assert_eq!(m.id, "1-2");
    assert_eq!(m.start_time, "2021-11-19T02:00:00Z");
    assert_eq!(
        (m.scores.red, m.scores.blue, m.scores.green),
        (40512, 35102, 38877)
    );
    assert_eq!(m.worlds.red, 1008);
    assert_eq!(m.all_worlds.blue, vec![1017, 1003]);
    assert_eq!(m.victory_points.green, 205);
    assert_eq!(m.kills.blue, 3256);
    assert_eq!(m.skirmishes.len(), 2);
    assert_eq!(m.skirmishes[1].map_scores.len(), 4);
    assert_eq!(m.skirmishes[1].map_scores[0].kind, "Center");
    assert_eq!(m.maps.len(), 4);
    let center = m.map("Center").expect("EB");
    assert_eq!(center.id, 38);
    let castle = &center.objectives[0];
    assert_eq!(
        (
            castle.id.as_str(),
            castle.kind.as_str(),
            castle.owner.as_str()
        ),
        ("38-9", "Castle", "Red")
    );
    assert_eq!(
        castle.claimed_by.as_deref(),
        Some("5AE7196D-F62F-E511-B0A0-0862664D7672")
    );
    assert_eq!(
        (castle.points_tick, castle.points_capture),
        (Some(12), Some(24))
    );
    assert_eq!(castle.yaks_delivered, Some(140));
    assert_eq!(castle.guild_upgrades, vec![123, 134, 178]);
    let camp = &center.objectives[2];
    assert_eq!(camp.claimed_by, None, "null claim");
    assert_eq!(camp.yaks_delivered, None, "absent field");
    let red_bl = m.map("RedHome").expect("red BL");
    assert_eq!(red_bl.bonuses[0].kind, "Bloodlust");
    assert_eq!(red_bl.bonuses[0].owner, "Red");

    // A linked (not host) world finds the same match.
    let by_world = client.wvw_match_by_world(1019).await.expect("by world");
    assert_eq!(by_world.value.id, "1-2");
    let eu = client.wvw_match_by_world(2104).await.expect("eu");
    assert_eq!(eu.value.id, "2-1");

    let all = client.wvw_matches(Ids::All).await.expect("all matches");
    assert_eq!(all.value.len(), 2);

    assert!(matches!(
        client.wvw_match("9-9").await,
        Err(Gw2ApiError::NotFound { .. })
    ));
    assert!(matches!(
        client.wvw_match_by_world(4242).await,
        Err(Gw2ApiError::NotFound { .. })
    ));
}

#[tokio::test]
async fn decodes_the_full_recorded_snapshot_when_present() {
    let dir = support::shared_data_dir();
    if !dir.is_dir() {
        eprintln!("skipped: {dir:?} not present");
        return;
    }
    let mut data = HashMap::new();
    for name in ["professions", "specializations", "itemstats", "pets"] {
        data.insert(
            name.to_string(),
            support::load_array(&dir.join(format!("{name}.json"))),
        );
    }
    let server = TestServer::start_with(data).await;
    let (client, _) = client_with(config(&server.base_url));
    assert_eq!(
        client.professions(Ids::All).await.expect("p").value.len(),
        9
    );
    let specs = client.specializations(Ids::All).await.expect("s").value;
    assert_eq!(specs.len(), 69);
    assert_eq!(specs.iter().filter(|s| s.elite).count(), 24);
    assert_eq!(
        client.itemstats(Ids::All).await.expect("i").value.len(),
        178
    );
    assert_eq!(client.pets(Ids::All).await.expect("pets").value.len(), 55);
}

// ----- batching, partial content, ids=all ------------------------------------------------------

#[tokio::test]
async fn splits_large_id_lists_into_batches_of_200_and_caches_them() {
    let server = TestServer::start().await;
    let (client, _) = client_with(config(&server.base_url));
    let ids: Vec<u32> = (SYNTHETIC_ITEM_START..SYNTHETIC_ITEM_START + 450).collect();

    let first = client.items(&ids).await.expect("items");
    assert_eq!(server.state.hits(), 3, "450 ids → 3 requests");
    assert_eq!(first.value.len(), 450);
    assert!(first.missing.is_empty());
    assert_eq!(first.source, Source::Live);
    let returned: Vec<u32> = first.value.iter().map(|i| i.id).collect();
    assert_eq!(returned, ids, "merged in request order");
    let sizes: Vec<usize> = server
        .state
        .log()
        .iter()
        .map(|s| s.param("ids").map_or(0, |v| v.split(',').count()))
        .collect();
    assert!(sizes.iter().all(|n| *n <= 200), "{sizes:?}");
    assert_eq!(sizes.iter().sum::<usize>(), 450);

    let second = client.items(&ids).await.expect("cached");
    assert_eq!(server.state.hits(), 3, "no new request");
    assert_eq!(second.source, Source::Cache);
    assert_eq!(second.value.len(), 450);

    // Duplicates are asked once; an empty list asks nothing.
    let dup = client
        .items([SYNTHETIC_ITEM_START + 460, SYNTHETIC_ITEM_START + 460])
        .await
        .expect("dup");
    assert_eq!(dup.value.len(), 1);
    let none = client.items(Vec::<u32>::new()).await.expect("empty");
    assert!(none.value.is_empty());
    assert_eq!(server.state.hits(), 4);
}

#[tokio::test]
async fn partial_content_reports_missing_ids_and_404_means_all_missing() {
    let server = TestServer::start().await;
    let (client, _) = client_with(config(&server.base_url));

    let partial = client
        .specializations([27u32, 99_999, 42])
        .await
        .expect("206 is a success");
    let got: Vec<u32> = partial.value.iter().map(|s| s.id).collect();
    assert_eq!(got, vec![27, 42]);
    assert_eq!(partial.missing, vec!["99999".to_string()]);
    assert_eq!(partial.source, Source::Live);

    let none = client
        .specializations([99_998u32, 99_999])
        .await
        .expect("404 on ids= is not an error");
    assert!(none.value.is_empty());
    assert_eq!(none.missing, vec!["99998".to_string(), "99999".to_string()]);

    let legends = client
        .legends(["Legend1", "Legend99"])
        .await
        .expect("legends");
    assert_eq!(legends.missing, vec!["Legend99".to_string()]);
}

#[tokio::test]
async fn get_all_uses_ids_all_or_falls_back_to_list_and_batches() {
    let server = TestServer::start().await;
    let (client, _) = client_with(config(&server.base_url));

    let profs = client.professions(Ids::All).await.expect("professions");
    assert_eq!(profs.value.len(), 3);
    assert_eq!(server.state.hits(), 1, "one ids=all request");
    assert_eq!(server.state.log()[0].param("ids"), Some("all"));

    // items refuses ids=all with 400: id list (1) + 503 ids in 3 batches.
    let items: Vec<Item> = client.get_all("items").await.expect("items").value;
    assert_eq!(items.len(), 3 + SYNTHETIC_ITEMS as usize);
    assert_eq!(server.state.hits(), 1 + 1 + 1 + 3);

    // skills answers ids=all with 404 "all ids provided are invalid": same fallback.
    let skills = client.skills(Ids::All).await.expect("skills");
    assert_eq!(skills.value.len(), 4);

    // Untyped access for endpoints without a model.
    let raw: Vec<serde_json::Value> = client
        .get_ids("wvw/objectives", ["95-43"])
        .await
        .expect("raw")
        .value;
    assert_eq!(raw[0]["name"], "Hero's Lodge");
}

// ----- cache ----------------------------------------------------------------------------------

#[tokio::test]
async fn cache_follows_cache_control_and_is_keyed_by_lang() {
    let server = TestServer::start().await;
    let (client, cache) = client_with(config(&server.base_url));

    client.pets([1u32]).await.expect("live");
    let again = client.pets([1u32]).await.expect("cached");
    assert_eq!(again.source, Source::Cache);
    assert_eq!(server.state.hits(), 1);
    let keys = cache.keys();
    assert!(
        keys.contains(&"/v2/pets?ids=1&lang=en".to_string()),
        "{keys:?}"
    );
    assert!(
        keys.contains(&"stale:/v2/pets?ids=1&lang=en".to_string()),
        "{keys:?}"
    );

    // Another language is another resource.
    let fr = client.with_lang(Lang::Fr).pets([1u32]).await.expect("fr");
    assert_eq!(fr.source, Source::Live);
    assert_eq!(server.state.hits(), 2);

    // no-store: nothing kept, every call goes to the API.
    server.state.set_cache_control("no-store");
    client.pets([2u32]).await.expect("a");
    let b = client.pets([2u32]).await.expect("b");
    assert_eq!(b.source, Source::Live);
    assert_eq!(server.state.hits(), 4);
    assert!(!cache.keys().iter().any(|k| k.contains("ids=2&")));
}

// ----- headers ---------------------------------------------------------------------------------

#[tokio::test]
async fn sends_lang_schema_version_and_api_key() {
    let server = TestServer::start().await;
    server.state.require_key("TEST-KEY-0001");
    let (client, cache) = client_with(ClientConfig {
        lang: Lang::De,
        api_key: Some("TEST-KEY-0001".into()),
        ..config(&server.base_url)
    });
    client.pets([3u32]).await.expect("accepted key");
    let seen = &server.state.log()[0];
    assert_eq!(seen.param("lang"), Some("de"));
    assert_eq!(seen.authorization.as_deref(), Some("Bearer TEST-KEY-0001"));
    assert_eq!(seen.schema_version.as_deref(), Some(SCHEMA_VERSION));
    assert!(
        !cache.keys().iter().any(|k| k.contains("TEST-KEY")),
        "key not in cache keys"
    );
    assert!(!format!("{:?}", client.config()).contains("TEST-KEY"));

    let (wrong, _) = client_with(ClientConfig {
        api_key: Some("WRONG".into()),
        ..config(&server.base_url)
    });
    match wrong.pets([3u32]).await {
        Err(Gw2ApiError::InvalidKey { code: 401, text }) => {
            assert_eq!(text, "Invalid access token");
        }
        other => panic!("expected InvalidKey, got {other:?}"),
    }
    let attempts_before = server.state.hits();
    let _ = wrong.pets([4u32]).await;
    assert_eq!(
        server.state.hits(),
        attempts_before + 1,
        "401 is not retried"
    );
}

// ----- retries ---------------------------------------------------------------------------------

#[tokio::test]
async fn retries_429_honouring_retry_after() {
    let server = TestServer::start().await;
    server.state.fail_429.store(2, Ordering::SeqCst);
    server.state.retry_after_secs.store(1, Ordering::SeqCst);
    let (client, _) = client_with(config(&server.base_url));

    let start = Instant::now();
    let pets = client.pets([1u32]).await.expect("third attempt succeeds");
    let took = start.elapsed();
    assert_eq!(pets.value.len(), 1);
    assert_eq!(pets.source, Source::Live);
    assert_eq!(server.state.hits(), 3);
    assert!(
        took >= Duration::from_secs(2),
        "waited Retry-After twice: {took:?}"
    );
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[tokio::test]
async fn retry_after_is_capped_and_attempts_are_bounded() {
    let server = TestServer::start().await;
    server.state.fail_429.store(u32::MAX, Ordering::SeqCst);
    server.state.retry_after_secs.store(30, Ordering::SeqCst);
    let (client, _) = client_with(ClientConfig {
        retry_after_cap: Duration::from_millis(50),
        ..config(&server.base_url)
    });
    let start = Instant::now();
    let result = client.pets([1u32]).await;
    assert!(
        matches!(result, Err(Gw2ApiError::RateLimited { attempts: 3 })),
        "{result:?}"
    );
    assert_eq!(server.state.hits(), 3, "1 + max_retries (2)");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "Retry-After: 30 was capped"
    );
}

#[tokio::test]
async fn retries_5xx_then_succeeds_or_gives_up() {
    let server = TestServer::start().await;
    server.state.fail_500.store(2, Ordering::SeqCst);
    let (client, _) = client_with(config(&server.base_url));
    let ok = client.pets([1u32]).await.expect("third attempt succeeds");
    assert_eq!(ok.value.len(), 1);
    assert_eq!(server.state.hits(), 3);

    server.state.fail_500.store(3, Ordering::SeqCst);
    match client.pets([2u32]).await {
        Err(e @ Gw2ApiError::Status { code: 500, .. }) => assert!(e.is_unavailable()),
        other => panic!("expected Status 500, got {other:?}"),
    }
    assert_eq!(server.state.hits(), 6);
}

#[tokio::test]
async fn connection_refused_is_retried_then_unavailable() {
    let base = refused_base_url().await;
    let (client, _) = client_with(config(&base));
    let start = Instant::now();
    match client.pets([1u32]).await {
        Err(e @ Gw2ApiError::Unavailable { .. }) => assert!(e.is_unavailable()),
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn slow_answers_time_out() {
    let server = TestServer::start().await;
    server.state.delay_ms.store(1_500, Ordering::SeqCst);
    let (client, _) = client_with(ClientConfig {
        timeout: Duration::from_millis(200),
        ..config(&server.base_url)
    });
    let start = Instant::now();
    let result = client.pets([1u32]).await;
    assert!(matches!(result, Err(Gw2ApiError::Timeout(_))), "{result:?}");
    assert!(
        start.elapsed() < Duration::from_millis(1_000),
        "not retried"
    );
    assert_eq!(server.state.hits(), 1);
}

#[tokio::test]
async fn bad_json_is_a_decode_error() {
    let server = TestServer::start().await;
    let (client, _) = client_with(config(&server.base_url));
    match client.get_ids::<Specialization>("broken", [1u32]).await {
        Err(Gw2ApiError::Decode { endpoint, .. }) => assert_eq!(endpoint, "broken"),
        other => panic!("expected Decode, got {other:?}"),
    }
}

// ----- circuit breaker + stale cache ------------------------------------------------------------

#[tokio::test]
async fn breaker_opens_and_answers_from_stale_cache_or_unavailable() {
    let server = TestServer::start().await;
    let (client, cache) = client_with(ClientConfig {
        max_retries: 0,
        breaker_threshold: 2,
        breaker_cooldown: Duration::from_secs(60),
        ..config(&server.base_url)
    });

    let live = client.specializations([27u32, 42]).await.expect("live");
    assert_eq!(live.source, Source::Live);
    assert_eq!(server.state.hits(), 1);

    // The fresh copy expires (simulated), only the stale one is left; the API goes down.
    cache.retain(|key| key.starts_with("stale:"));
    server.state.fail_500.store(u32::MAX, Ordering::SeqCst);

    for expected_hits in [2, 3] {
        let answer = client.specializations([27u32, 42]).await.expect("stale");
        assert_eq!(answer.source, Source::Stale);
        assert_eq!(answer.value.len(), 2);
        assert!(answer.is_stale());
        assert_eq!(
            server.state.hits(),
            expected_hits,
            "each failed call tried the API"
        );
    }
    assert_eq!(client.breaker_state(), BreakerState::Open);

    // Open: the API is not called any more.
    let answer = client.specializations([27u32, 42]).await.expect("stale");
    assert_eq!(answer.source, Source::Stale);
    match client.specializations([16u32]).await {
        Err(e @ Gw2ApiError::Unavailable { .. }) => assert!(e.is_unavailable()),
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert_eq!(server.state.hits(), 3, "calls stopped reaching the API");

    // Clones share the breaker.
    let other = client.with_lang(Lang::Es);
    assert_eq!(other.breaker_state(), BreakerState::Open);
}

#[tokio::test]
async fn breaker_half_opens_and_recovers() {
    let server = TestServer::start().await;
    server.state.fail_500.store(1, Ordering::SeqCst);
    let (client, _) = client_with(ClientConfig {
        max_retries: 0,
        breaker_threshold: 1,
        breaker_cooldown: Duration::from_millis(150),
        ..config(&server.base_url)
    });
    assert!(client.pets([1u32]).await.is_err());
    assert_eq!(client.breaker_state(), BreakerState::Open);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(client.breaker_state(), BreakerState::HalfOpen);
    let ok = client.pets([1u32]).await.expect("trial call succeeds");
    assert_eq!(ok.source, Source::Live);
    assert_eq!(client.breaker_state(), BreakerState::Closed);
}

// ----- rate limit ------------------------------------------------------------------------------

#[tokio::test]
async fn requests_wait_for_tokens_of_a_tiny_bucket() {
    let server = TestServer::start().await;
    // 1 token, refilled 10 per second: 4 uncached requests need 3 refills (≥ 300 ms).
    let (client, _) = client_with(ClientConfig {
        rate_per_minute: 600,
        burst: 1,
        ..config(&server.base_url)
    });
    let start = Instant::now();
    for id in 1..=4u32 {
        client.pets([id]).await.expect("waits, does not fail");
    }
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(290), "{took:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(server.state.hits(), 4);
}

#[tokio::test(start_paused = true)]
async fn rate_limiter_paces_at_the_configured_rate() {
    // The API's own bucket: 300 burst, 5 per second. 310 requests: 300 at once, then 10 at 5/s.
    let limiter = RateLimiter::new(300, 300);
    let start = tokio::time::Instant::now();
    for _ in 0..300 {
        limiter.acquire().await;
    }
    assert_eq!(start.elapsed(), Duration::ZERO, "burst goes out at once");
    for _ in 0..10 {
        limiter.acquire().await;
    }
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_millis(2_100),
        "{took:?}"
    );
}
