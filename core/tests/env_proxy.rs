//! The environment's proxies (curl's variables) apply when no `proxy` option is given; alone in
//! its binary because it sets process-wide variables.

mod common;

use common::proxy::proxy;
use pagoefectivo::Client;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_proxy_and_no_proxy_from_the_environment() {
    let sb = common::sandbox().await;
    let (port, seen) = proxy(None).await;
    // SAFETY: the only test of this binary, set before any client reads the environment.
    unsafe {
        std::env::set_var("HTTP_PROXY", format!("http://127.0.0.1:{port}"));
        std::env::set_var("NO_PROXY", "");
    }
    let client = Client::new(common::config_for(&sb).build().unwrap()).unwrap();
    client.authenticate().await.unwrap();
    let proxied = seen.lock().unwrap().len();
    assert!(proxied > 0, "HTTP_PROXY was not used");

    // The option's NO_PROXY list wins over the environment's.
    let bypass = Client::new(common::config_for(&sb).no_proxy("127.0.0.1").build().unwrap()).unwrap();
    bypass.authenticate().await.unwrap();
    assert_eq!(seen.lock().unwrap().len(), proxied, "no_proxy did not bypass the environment's proxy");

    // An environment proxy that is not http:// is not used (the calls go direct), nor an error.
    unsafe { std::env::set_var("HTTP_PROXY", "socks5://127.0.0.1:9") };
    let direct = Client::new(common::config_for(&sb).build().unwrap()).unwrap();
    direct.authenticate().await.unwrap();
}
