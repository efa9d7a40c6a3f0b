// Alibaba Cloud's Node.js clients against pts-local: @alicloud/pop-core (RPC, signature v1,
// GET with everything in the query, POST with everything in a form body) and
// @alicloud/openapi-client (signature v3 and v1; POST with parameters in the query, the body
// or split between them; GET with the query only, as the client sends no body on a GET). Each shape saves a scene, gets it, lists it and is refused
// with a wrong secret. Endpoint and keys come from the environment; exits 1 on a mismatch.
'use strict';

const PopCore = require('@alicloud/pop-core');
const OpenApi = require('@alicloud/openapi-client');
const TeaUtil = require('@alicloud/tea-util');

const endpoint = process.env.PTS_ENDPOINT;
const ak = process.env.PTS_AK;
const sk = process.env.PTS_SK;
const VERSION = '2020-10-20';
let failures = 0;

function scene(name) {
  return JSON.stringify({
    SceneName: name,
    RelationList: [{
      RelationName: 'chain',
      ApiList: [{ApiName: 'home', Url: 'http://127.0.0.1:9/', Method: 'GET', RedirectCountLimit: 0}],
    }],
    LoadConfig: {
      TestMode: 'concurrency_mode', MaxRunningTime: 1,
      Configuration: {AllConcurrencyBegin: 1, AllConcurrencyLimit: 1},
    },
  });
}

function check(cond, what) {
  if (!cond) {
    failures += 1;
    console.log(`FAIL ${what}`);
  }
}

// pop-core: request(action, params, {method}) resolves to the body, throws with .code.
function popCore(secret) {
  const client = new PopCore({
    accessKeyId: ak, accessKeySecret: secret, endpoint: `http://${endpoint}`, apiVersion: VERSION,
  });
  return (method) => async (action, params) => client.request(action, params, {method, timeout: 20000});
}

// openapi-client: callApi with the parameters split as asked; resolves to the body.
function openApi(secret, algorithm) {
  const config = new OpenApi.Config({
    accessKeyId: ak, accessKeySecret: secret, endpoint, protocol: 'HTTP',
    readTimeout: 20000, connectTimeout: 5000,
  });
  if (algorithm === 'v1') config.signatureAlgorithm = 'v2'; // the SDK's name for RPC v1
  const client = new OpenApi.default(config);
  return (method, placement) => async (action, params) => {
    const query = {};
    const body = {};
    Object.keys(params).sort().forEach((k, i) => {
      const inQuery = placement === 'query' || (placement === 'split' && i % 2 === 0);
      (inQuery ? query : body)[k] = params[k];
    });
    const api = new OpenApi.Params({
      action, version: VERSION, protocol: 'HTTP', pathname: '/', method, authType: 'AK',
      style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
    });
    const req = new OpenApi.OpenApiRequest(Object.keys(body).length ? {query, body} : {query});
    const resp = await client.callApi(api, req, new TeaUtil.RuntimeOptions({}));
    return resp.body;
  };
}

let shapes = 0;

async function shape(label, call, wrongCall) {
  shapes += 1;
  // Scene names are at most 30 characters.
  const name = `s${shapes} 场景 a+b&c=d`;
  try {
    const saved = await call('SavePtsScene', {Scene: scene(name)});
    const id = saved.SceneId;
    check(typeof id === 'string' && id.length > 0, `${label}: SavePtsScene ${JSON.stringify(saved)}`);
    const got = await call('GetPtsScene', {SceneId: id});
    check(got.Scene && got.Scene.SceneName === name, `${label}: GetPtsScene ${JSON.stringify(got)}`);
    const listed = await call('ListPtsScene', {PageNumber: '1', PageSize: '100', KeyWord: '场景'});
    const ids = (listed.SceneViewList || []).map((s) => s.SceneId);
    check(ids.includes(id), `${label}: ListPtsScene lacks ${id}: ${JSON.stringify(listed)}`);
  } catch (e) {
    check(false, `${label}: ${e.code || ''} ${e.message}`);
    return;
  }
  let code = 'no error';
  try {
    await wrongCall('ListPtsScene', {PageNumber: '1', PageSize: '10'});
  } catch (e) {
    code = e.code || (e.data && e.data.Code) || e.message;
  }
  check(code === 'SignatureDoesNotMatch', `${label}: wrong secret answered ${code}`);
  console.log(`ran ${label}: save, get, list, wrong secret`);
}

async function main() {
  const pop = popCore(sk);
  const popWrong = popCore('wrong-secret');
  await shape('pop-core v1 GET query', pop('GET'), popWrong('GET'));
  await shape('pop-core v1 POST body', pop('POST'), popWrong('POST'));
  for (const algorithm of ['v3', 'v1']) {
    const good = openApi(sk, algorithm);
    const wrong = openApi('wrong-secret', algorithm);
    for (const method of ['GET', 'POST']) {
      for (const placement of method === 'GET' ? ['query'] : ['query', 'body', 'split']) {
        const label = `openapi-client ${algorithm} ${method} ${placement}`;
        await shape(label, good(method, placement), wrong(method, placement));
      }
    }
  }
  if (failures > 0) {
    console.log(`${failures} failure(s)`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.log(`FAIL ${e.stack}`);
  process.exit(1);
});
