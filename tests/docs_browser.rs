//! The documentation pages in a real browser: Debian's headless Chromium,
//! driven over the WebDriver protocol by chromedriver.
//!
//! The browser needs the packages `chromium` and `chromium-driver`. Without
//! them these tests only print a note, unless `REYNARD_REQUIRE_BROWSER=1`
//! (set by scripts/test.sh), which makes a missing browser a failure.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{start_still, TestServer};
use serde_json::{json, Value};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// WebDriver's key for an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(30);

/// A chromedriver process with one browser session.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    profile: std::path::PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Chromium outlives chromedriver even after the session is deleted,
        // so its processes are found by their profile directory, which is
        // unique to this browser.
        let _ = Command::new("pkill").arg("-KILL").arg("-f").arg(&self.profile).status();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session, or returns `None`
    /// when the browser is not installed and not required.
    async fn start() -> Option<Browser> {
        if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
            assert!(
                std::env::var("REYNARD_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "REYNARD_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing: apt-get install chromium chromium-driver"
            );
            eprintln!("note: {CHROMIUM} or {CHROMEDRIVER} is missing, so the browser checks did not run");
            return None;
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(60)).build().unwrap();
        let profile = std::env::temp_dir().join(format!("reynard-chromium-{}-{port}", std::process::id()));

        let deadline = Instant::now() + WAIT;
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start within {WAIT:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", format!("--user-data-dir={}", profile.display()),
                ]
            }
        }}});
        let created: Value = http.post(format!("{base}/session")).json(&capabilities).send().await.unwrap().json().await.unwrap();
        let session = created["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {created}")).to_owned();
        Some(Browser { driver, base, session, http, profile })
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let request = self.http.request(method.clone(), url);
        let request = if method == reqwest::Method::GET { request } else { request.json(&body) };
        let reply: Value = request.send().await.expect("WebDriver request").json().await.expect("WebDriver JSON");
        reply["value"].clone()
    }

    async fn open(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", json!({ "url": url })).await;
    }

    async fn script(&self, script: &str) -> Value {
        self.command(reqwest::Method::POST, "/execute/sync", json!({ "script": script, "args": [] })).await
    }

    /// Waits until `selector` matches an element and returns its reference.
    async fn wait_for(&self, selector: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self.command(reqwest::Method::POST, "/element", json!({ "using": "css selector", "value": selector })).await;
            if let Some(id) = found[ELEMENT_KEY].as_str() {
                return id.to_owned();
            }
            assert!(Instant::now() < deadline, "no element matches {selector} after {WAIT:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn click(&self, selector: &str) {
        let element = self.wait_for(selector).await;
        self.command(reqwest::Method::POST, &format!("/element/{element}/click"), json!({})).await;
    }

    async fn type_into(&self, selector: &str, text: &str) {
        let element = self.wait_for(selector).await;
        self.command(reqwest::Method::POST, &format!("/element/{element}/value"), json!({ "text": text })).await;
    }

    async fn text(&self, selector: &str) -> String {
        let element = self.wait_for(selector).await;
        let text = self.command(reqwest::Method::GET, &format!("/element/{element}/text"), Value::Null).await;
        text.as_str().unwrap_or_default().to_owned()
    }

    /// URLs of every resource the page loaded.
    async fn loaded_resources(&self) -> Vec<String> {
        let names = self.script("return performance.getEntriesByType('resource').map(e => e.name);").await;
        names.as_array().into_iter().flatten().filter_map(|name| name.as_str().map(str::to_owned)).collect()
    }

    async fn quit(self) {
        self.command(reqwest::Method::DELETE, "", Value::Null).await;
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits until `script` returns a number of at least `minimum`, and returns it.
async fn wait_for_count(browser: &Browser, script: &str, minimum: u64) -> u64 {
    let deadline = Instant::now() + WAIT;
    loop {
        let count = browser.script(script).await.as_u64().unwrap_or(0);
        if count >= minimum || Instant::now() >= deadline {
            return count;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn all_local(resources: &[String], server: &TestServer) -> bool {
    resources.iter().all(|url| url.starts_with(&server.base))
}

#[tokio::test(flavor = "multi_thread")]
async fn swagger_try_it_out_returns_ok() {
    let Some(browser) = Browser::start().await else { return };
    let server = start_still().await;

    browser.open(&server.url("/api/docs")).await;
    let operations = wait_for_count(&browser, "return document.querySelectorAll('.opblock').length;", 20).await;
    assert!(operations >= 20, "Swagger UI lists {operations} operations");

    browser.click("button.authorize").await;
    browser.type_into(".modal-ux input", &server.admin_token).await;
    browser.click(".modal-ux button.authorize").await;
    browser.click(".modal-ux button.btn-done").await;

    browser.click("#operations-world-status .opblock-summary").await;
    browser.click("#operations-world-status .try-out__btn").await;
    browser.click("#operations-world-status .execute").await;
    let status = browser.text("#operations-world-status .live-responses-table tbody .response-col_status").await;
    assert_eq!(status.trim(), "200", "the live response of GET /api/ecs/status");

    let resources = browser.loaded_resources().await;
    assert!(all_local(&resources, &server), "resources from elsewhere: {resources:?}");

    browser.quit().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn redoc_lists_operations() {
    let Some(browser) = Browser::start().await else { return };
    let server = start_still().await;

    browser.open(&server.url("/api/redoc")).await;
    let script = "return document.querySelectorAll('li[data-item-id*=\"operation/\"]').length;";
    let operations = wait_for_count(&browser, script, 20).await;
    assert!(operations >= 20, "ReDoc lists {operations} operations");

    let resources = browser.loaded_resources().await;
    assert!(all_local(&resources, &server), "resources from elsewhere: {resources:?}");

    browser.quit().await;
    server.stop().await;
}
